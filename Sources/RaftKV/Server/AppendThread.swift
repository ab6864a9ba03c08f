import Foundation
import Raft

/// The thread that makes raft's log durable: etcd-io/raft's "local append thread" for a node
/// whose storage writes are asynchronous (`Config.asyncStorageWrites`).
///
/// The Ready loop hands it each Ready's `msgStorageAppend` and goes on at once: it sends the
/// next Ready's messages, applies what is committed, answers requests, while this thread writes
/// and syncs. Writes that queue up meanwhile are written together and synced once (group
/// commit), so a busy node syncs less often than it builds Readies. Only once a batch is on disk
/// does `write` tell raft (the responses each message carries: raft's own acknowledgements, and
/// the append and vote answers to peers that promise what was written).
///
/// The thread owns the WAL: nothing else writes it, and it closes it when it ends.
final class AppendThread: @unchecked Sendable {
    // @unchecked: `queue`, `submitted`, `written`, `stopping` and `ended` are only touched with
    // `condition` held; `wal` only by the thread (and by `init` before the thread starts).
    private let condition = NSCondition()
    private var queue: [Message] = []
    private var submitted = 0
    private var written = 0
    private var stopping = false
    private var ended = false
    private let wal: WAL
    private let write: @Sendable (_ batch: [Message], _ wal: WAL) throws -> Void
    private let failed: @Sendable (any Error) -> Void

    /// Starts the thread. `write` persists a batch (in order) and delivers its responses; when it
    /// throws, the thread calls `failed` and ends: later messages are never written, so nothing
    /// that depends on them is acknowledged.
    init(wal: sending WAL, write: @escaping @Sendable ([Message], WAL) throws -> Void,
         failed: @escaping @Sendable (any Error) -> Void) {
        self.wal = wal
        self.write = write
        self.failed = failed
        let thread = Thread { [self] in run() }
        thread.name = "raftkv-append"
        thread.qualityOfService = .userInitiated
        thread.start()
    }

    /// Queues a `msgStorageAppend`, to be written after those queued before it.
    func submit(_ m: Message) {
        condition.lock()
        queue.append(m)
        submitted += 1
        if queue.count == 1 { condition.signal() }
        condition.unlock()
    }

    /// Waits until everything submitted so far is written and its responses delivered; false if
    /// the thread ended first (a failed write, or `stop`).
    func flush() -> Bool {
        condition.lock()
        defer { condition.unlock() }
        let target = submitted
        while written < target && !ended { condition.wait() }
        return written >= target
    }

    /// Writes what is queued, then ends the thread and closes the WAL; returns once it has.
    func stop() {
        condition.lock()
        stopping = true
        condition.broadcast()
        while !ended { condition.wait() }
        condition.unlock()
    }

    private func run() {
        defer {
            wal.close()
            condition.lock()
            ended = true
            condition.broadcast()
            condition.unlock()
        }
        var batch: [Message] = []
        while true {
            condition.lock()
            while queue.isEmpty && !stopping { condition.wait() }
            if queue.isEmpty {
                condition.unlock()
                return
            }
            swap(&batch, &queue)
            condition.unlock()
            do { try write(batch, wal) } catch {
                failed(error)
                return
            }
            condition.lock()
            written += batch.count
            condition.broadcast()
            condition.unlock()
            batch.removeAll(keepingCapacity: true)
        }
    }
}
