import Raft

/// A node's storage in the interaction environment: a `MemoryStorage` for the log, plus the
/// history of the application's state (an "appender": each applied entry's payload is appended),
/// whose newest element is what `snapshot()` returns, as etcd's harness does.
final class InteractionStorage: Storage {
    let memory: MemoryStorage
    private let historyState: Locked<[Snapshot]>

    init(memory: MemoryStorage, initial: Snapshot) {
        self.memory = memory
        historyState = Locked([initial])
    }

    /// Every applied state, oldest first.
    var history: [Snapshot] { historyState.withLock { $0 } }

    func record(_ snapshot: Snapshot) { historyState.withLock { $0.append(snapshot) } }

    func initialState() -> (HardState, ConfState) { memory.initialState() }
    func entries(_ lo: UInt64, _ hi: UInt64, maxSize: UInt64) throws(StorageError) -> [Entry] {
        try memory.entries(lo, hi, maxSize: maxSize)
    }
    func term(_ i: UInt64) throws(StorageError) -> UInt64 { try memory.term(i) }
    func lastIndex() -> UInt64 { memory.lastIndex() }
    func firstIndex() -> UInt64 { memory.firstIndex() }
    /// The newest applied state, not MemoryStorage's own snapshot.
    func snapshot() throws(StorageError) -> Snapshot { historyState.withLock { $0.last ?? Snapshot() } }
}
