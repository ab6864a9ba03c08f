/// Where a snapshot sits in the log and which membership it carries.
///
/// etcd: `raftpb.SnapshotMetadata`.
public struct SnapshotMetadata: Sendable, Hashable {
    /// The membership at `index`.
    public var confState: ConfState
    /// The index of the last entry the snapshot covers.
    public var index: UInt64
    /// The term of that entry.
    public var term: UInt64

    /// Metadata; by default the empty one (no snapshot).
    public init(confState: ConfState = ConfState(), index: UInt64 = 0, term: UInt64 = 0) {
        self.confState = confState
        self.index = index
        self.term = term
    }
}

/// The application's state up to an index, standing in for every entry up to it.
///
/// A value type whose contents live in a shared, immutable box. Snapshots ride in every
/// `Message`, `Ready` and in the unstable log, almost always empty, and those are copied on every
/// step: inline, a snapshot is five arrays (the data and the membership's four id lists), so each
/// copy retained and released five buffers; boxed, it is one reference. Changing a field builds a
/// new box, which is rare (taking or receiving a snapshot) and keeps the value semantics.
///
/// etcd: `raftpb.Snapshot`.
public struct Snapshot: Sendable, Hashable {
    /// The contents; never mutated, replaced whole when a field changes.
    private final class Contents: Sendable {
        let data: [UInt8]
        let metadata: SnapshotMetadata

        init(data: [UInt8], metadata: SnapshotMetadata) {
            self.data = data
            self.metadata = metadata
        }
    }

    private var contents: Contents

    /// The application's serialized state; raft never looks inside it.
    public var data: [UInt8] {
        get { contents.data }
        set { contents = Contents(data: newValue, metadata: contents.metadata) }
    }

    /// Where the snapshot sits in the log and the membership it carries.
    public var metadata: SnapshotMetadata {
        get { contents.metadata }
        set { contents = Contents(data: contents.data, metadata: newValue) }
    }

    /// A snapshot; by default the empty one, which means none.
    public init(data: [UInt8] = [], metadata: SnapshotMetadata = SnapshotMetadata()) {
        contents = Contents(data: data, metadata: metadata)
    }

    /// The empty snapshot, which a Ready uses to mean "none".
    public static let empty = Snapshot()

    /// Whether this is no snapshot at all (index 0).
    ///
    /// etcd: `IsEmptySnap`.
    public var isEmpty: Bool { metadata.index == 0 }

    public static func == (a: Snapshot, b: Snapshot) -> Bool {
        a.contents === b.contents || (a.metadata == b.metadata && a.data == b.data)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(data)
        hasher.combine(metadata)
    }
}
