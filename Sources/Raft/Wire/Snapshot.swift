/// Where a snapshot sits in the log and which membership it carries.
///
/// etcd: `raftpb.SnapshotMetadata`.
public struct SnapshotMetadata: Sendable, Hashable {
    public var confState: ConfState
    /// The index of the last entry the snapshot covers.
    public var index: UInt64
    /// The term of that entry.
    public var term: UInt64

    public init(confState: ConfState = ConfState(), index: UInt64 = 0, term: UInt64 = 0) {
        self.confState = confState
        self.index = index
        self.term = term
    }
}

/// The application's state up to an index, standing in for every entry up to it.
///
/// etcd: `raftpb.Snapshot`.
public struct Snapshot: Sendable, Hashable {
    /// The application's serialized state; raft never looks inside it.
    public var data: [UInt8]
    public var metadata: SnapshotMetadata

    public init(data: [UInt8] = [], metadata: SnapshotMetadata = SnapshotMetadata()) {
        self.data = data
        self.metadata = metadata
    }

    /// The empty snapshot, which a Ready uses to mean "none".
    public static let empty = Snapshot()

    /// Whether this is no snapshot at all (index 0).
    ///
    /// etcd: `IsEmptySnap`.
    @inlinable public var isEmpty: Bool { metadata.index == 0 }
}
