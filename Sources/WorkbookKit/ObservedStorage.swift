import Raft
import RaftSupport

/// Raft's view of the application's `MemoryStorage`: every read passes straight through and is
/// counted by method.
///
/// It makes a point of chapter 4 visible: `Storage` has only reads. The application writes the
/// `MemoryStorage` itself (`append`, `setHardState`, `applySnapshot`, `compact`) while handling a
/// Ready; raft only ever asks questions, and this wrapper shows which and how often.
public final class ObservedStorage: Storage {
    /// The storage the application writes.
    public let memory: MemoryStorage
    private let counts = Locked<[String: Int]>([:])

    public init(_ memory: MemoryStorage) { self.memory = memory }

    /// How many times raft called each read, by method name.
    public var readCounts: [String: Int] { counts.withLock { $0 } }

    private func count(_ method: String) {
        counts.withLock { $0[method, default: 0] += 1 }
    }

    public func initialState() throws(StorageError) -> (HardState, ConfState) {
        count("initialState")
        return memory.initialState()
    }

    public func entries(_ lo: UInt64, _ hi: UInt64, maxSize: UInt64) throws(StorageError) -> [Entry] {
        count("entries")
        return try memory.entries(lo, hi, maxSize: maxSize)
    }

    public func term(_ i: UInt64) throws(StorageError) -> UInt64 {
        count("term")
        return try memory.term(i)
    }

    public func lastIndex() throws(StorageError) -> UInt64 {
        count("lastIndex")
        return memory.lastIndex()
    }

    public func firstIndex() throws(StorageError) -> UInt64 {
        count("firstIndex")
        return memory.firstIndex()
    }

    public func snapshot() throws(StorageError) -> Snapshot {
        count("snapshot")
        return memory.snapshot()
    }
}
