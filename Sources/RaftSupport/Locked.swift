#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A value behind a lock, for state that several threads share: `MemoryStorage`'s log, the
/// test harnesses' records.
///
/// It does what `Synchronization.Mutex` does, with a pthread mutex underneath. The reason is the
/// thread sanitizer, which the tests run under: on Linux, `Mutex` locks through futex calls in the
/// (uninstrumented) Synchronization library, which the sanitizer cannot see, so it reports every
/// access made under the lock as a race. The sanitizer intercepts pthread mutexes and sees the
/// ordering they give.
package final class Locked<State: Sendable>: @unchecked Sendable {
    // @unchecked: `state` is only touched with `mutex` held. For the same reason its run-time
    // exclusivity check is off: the mutex already makes every access exclusive, and the check
    // cost more than the lock on every storage call (Notes/performance.md).
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    @exclusivity(unchecked) private var state: State

    package init(_ state: State) {
        self.state = state
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deinitialize(count: 1)
        mutex.deallocate()
    }

    /// Runs `body` with the lock held and exclusive access to the state.
    package func withLock<Result, Failure: Error>(
        _ body: (inout State) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&state)
    }
}
