import RaftSupport

/// Runs asynchronous code on the calling thread, one job at a time, in the order jobs become
/// ready: a tiny single-threaded event loop.
///
/// Chapter 1 runs three `Node` actors and their Ready loops concurrently. On Swift's shared thread
/// pool their interleaving would change from run to run; here every task and every actor call
/// (actors without their own executor follow the task's executor preference) runs on one thread
/// in a fixed order, so the chapter prints the same every time, without any clock.
final class RunLoopExecutor: TaskExecutor {
    private let jobs = Locked<[UnownedJob]>([])

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        jobs.withLock { $0.append(job) }
    }

    /// Runs `operation` to completion on this thread and returns its result.
    ///
    /// - Throws: what `operation` throws, or `WorkbookError.stuck` when it waits for something
    ///   that no job can ever provide (nothing left to run, and no result).
    static func run<T: Sendable>(_ operation: @escaping @Sendable () async throws -> T) throws -> T {
        let executor = RunLoopExecutor()
        let result = Locked<Result<T, any Error>?>(nil)
        Task(executorPreference: executor) {
            let outcome: Result<T, any Error>
            do { outcome = .success(try await operation()) } catch { outcome = .failure(error) }
            result.withLock { $0 = outcome }
        }
        while true {
            if let outcome = result.withLock({ $0 }) { return try outcome.get() }
            let next = executor.jobs.withLock { $0.isEmpty ? nil : $0.removeFirst() }
            guard let next else { throw WorkbookError.stuck("every task is waiting and no job is left to run") }
            next.runSynchronously(on: executor.asUnownedTaskExecutor())
        }
    }
}
