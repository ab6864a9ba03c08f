/// Why a log or storage request could not be answered.
///
/// The first four are etcd's storage errors, which raft expects and handles. `invalidIndex` is ours:
/// where etcd panics because a caller asked for an index outside the log (or to truncate committed
/// entries), we throw it instead, so bad input cannot stop the process.
public enum StorageError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The index is at or below the last compaction point; its entry is gone.
    case compacted
    /// The snapshot offered is older than the one already held.
    case snapOutOfDate
    /// The index is beyond the last entry.
    case unavailable
    /// The snapshot is being produced; ask again later.
    case snapshotTemporarilyUnavailable
    /// A request outside the log's bounds, described in etcd's panic wording.
    case invalidIndex(String)
    /// The storage cannot be read at all (a disk error, say). Raft treats it as fatal, as etcd
    /// treats any error other than its named ones.
    case failed(String)

    public var description: String {
        switch self {
        case .compacted: "requested index is unavailable due to compaction"
        case .snapOutOfDate: "requested index is older than the existing snapshot"
        case .unavailable: "requested entry at index is unavailable"
        case .snapshotTemporarilyUnavailable: "snapshot is temporarily unavailable"
        case .invalidIndex(let message): message
        case .failed(let reason): reason
        }
    }
}

/// The application's durable log, as raft reads it.
///
/// Raft only ever reads through this protocol: the application writes (appending the entries and
/// hard state a `Ready` hands it, applying snapshots, compacting) and then tells raft by calling
/// `advance`. Implementations must be safe to call from several threads, because the application
/// writes while raft reads.
///
/// Errors are typed: `.compacted`, `.unavailable` and `.snapshotTemporarilyUnavailable` are part of
/// the protocol; `.failed` (and anything unexpected) is fatal for raft, as in etcd.
///
/// etcd: `raft.Storage`.
public protocol Storage: AnyObject, Sendable {
    /// The saved hard state and membership, read once when raft starts.
    func initialState() throws(StorageError) -> (HardState, ConfState)
    /// The entries in `[lo, hi)`, as many as fit in `maxSize` bytes of encoded size but at least one
    /// when any exist. Throws `.compacted` when `lo` is no longer available.
    func entries(_ lo: UInt64, _ hi: UInt64, maxSize: UInt64) throws(StorageError) -> [Entry]
    /// The term of the entry at `i`, which must be in `[firstIndex()-1, lastIndex()]`: the entry
    /// just before the first is gone but its term is kept for matching.
    func term(_ i: UInt64) throws(StorageError) -> UInt64
    /// The index of the last entry.
    func lastIndex() throws(StorageError) -> UInt64
    /// The index of the first entry still available (older ones were compacted into a snapshot).
    func firstIndex() throws(StorageError) -> UInt64
    /// The most recent snapshot. `.snapshotTemporarilyUnavailable` tells raft to try later.
    func snapshot() throws(StorageError) -> Snapshot
}

/// The "no limit" value for size arguments.
///
/// etcd: `noLimit`.
package let noLimit: UInt64 = .max
