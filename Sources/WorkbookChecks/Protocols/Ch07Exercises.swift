import Raft

/// Chapter 7, snapshots and compaction.
public protocol Ch07Exercises: Sendable {
    /// Exercise 7.1, compaction bounds.
    ///
    /// The application calls `MemoryStorage.compact(compactIndex)` on a storage holding the
    /// entries `storage.firstIndex...storage.lastIndex` (after a placeholder at
    /// `firstIndex - 1` that keeps the last compacted entry's term). Say what happens: the new
    /// bounds, or which error is thrown.
    func compact(_ storage: StorageBounds, at compactIndex: UInt64) -> CompactionResult

    /// Exercise 7.2, snapshot or append.
    ///
    /// A leader whose log holds `leader.firstIndex...leader.lastIndex` learns that a follower's
    /// log matches its own up to `followerMatch` (and no further). Say what the leader sends to
    /// catch it up: the entries after the match, or its snapshot.
    ///
    /// - Precondition: `followerMatch < leader.lastIndex`.
    func catchUp(leader: StorageBounds, followerMatch: UInt64) -> CatchUp
}

/// Which entries a log or storage holds: `firstIndex...lastIndex` (empty when
/// `lastIndex == firstIndex - 1`). Everything before was compacted into a snapshot.
public struct StorageBounds: Sendable, Hashable, CustomStringConvertible {
    public var firstIndex: UInt64
    public var lastIndex: UInt64

    public init(firstIndex: UInt64, lastIndex: UInt64) {
        self.firstIndex = firstIndex
        self.lastIndex = lastIndex
    }

    public var description: String { "StorageBounds(firstIndex: \(firstIndex), lastIndex: \(lastIndex))" }
}

/// What `MemoryStorage.compact` does.
public enum CompactionResult: Sendable, Hashable, CustomStringConvertible {
    /// The entries before the compaction index are gone; these are the new bounds.
    case compacted(StorageBounds)
    /// Thrown `StorageError.compacted`: that index is already compacted.
    case alreadyCompacted
    /// Thrown `StorageError.invalidIndex`: the storage has no entry at that index yet.
    case beyondLastIndex

    public var description: String {
        switch self {
        case .compacted(let bounds): ".compacted(\(bounds))"
        case .alreadyCompacted: ".alreadyCompacted"
        case .beyondLastIndex: ".beyondLastIndex"
        }
    }
}

/// What a leader sends to catch a follower up.
public enum CatchUp: Sendable, Hashable, CustomStringConvertible {
    /// An append carrying the entries `from...through`.
    case entries(from: UInt64, through: UInt64)
    /// Its latest snapshot: the entries the follower needs are compacted away.
    case snapshot

    public var description: String {
        switch self {
        case .entries(let from, let through): ".entries(from: \(from), through: \(through))"
        case .snapshot: ".snapshot"
        }
    }
}
