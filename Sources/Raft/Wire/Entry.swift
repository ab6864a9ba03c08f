/// The kind of a log entry: ordinary application data, or a membership change.
///
/// etcd: `raftpb.EntryType`.
public enum EntryType: UInt8, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Application data; raft never looks inside it.
    case entryNormal = 0
    /// A `ConfChange` (the original, one-node-at-a-time form), encoded in `data`.
    case entryConfChange = 1
    /// A `ConfChangeV2` (joint consensus capable), encoded in `data`.
    case entryConfChangeV2 = 2

    public var description: String {
        switch self {
        case .entryNormal: "EntryNormal"
        case .entryConfChange: "EntryConfChange"
        case .entryConfChangeV2: "EntryConfChangeV2"
        }
    }
}

/// One record of the replicated log.
///
/// An entry is identified by its position (`index`) and the term of the leader that created it
/// (`term`); two logs holding entries with the same index and term are identical up to that index
/// (the Log Matching property of the Raft paper, §5.3).
///
/// etcd: `raftpb.Entry`.
public struct Entry: Sendable, Hashable {
    /// The term of the leader that created the entry.
    public var term: UInt64
    /// The entry's position in the log, from 1.
    public var index: UInt64
    /// Whether `data` is the application's or an encoded conf change.
    public var type: EntryType
    /// The payload: application bytes, or an encoded conf change for the conf change types.
    public var data: [UInt8]

    /// An entry; by default an empty normal entry at index 0 of term 0 (etcd's zero value).
    public init(term: UInt64 = 0, index: UInt64 = 0, type: EntryType = .entryNormal, data: [UInt8] = []) {
        self.term = term
        self.index = index
        self.type = type
        self.data = data
    }

    /// The (index, term) pair that identifies this entry in a log.
    package var id: EntryID { EntryID(term: term, index: index) }

    /// The size of this entry in etcd's protobuf encoding.
    ///
    /// Size limits (`maxSizePerMsg`, `maxCommittedSizePerReady`) are counted in this unit so that
    /// the same configuration batches exactly as etcd does. An empty payload counts as absent.
    @inlinable public var encodedSize: Int {
        var n = 3 + ProtobufWire.varintSize(UInt64(type.rawValue))
            + ProtobufWire.varintSize(term) + ProtobufWire.varintSize(index)
        if !data.isEmpty {
            n += 1 + ProtobufWire.varintSize(UInt64(data.count)) + data.count
        }
        return n
    }

    /// The size of the payload alone: what the uncommitted-size limit and inflight byte limit count.
    ///
    /// It does not depend on the index or term, so an entry keeps its size when re-proposed.
    @inlinable package var payloadSize: Int { data.count }
}

/// The position of an entry in a log: its index and the term it was created in.
///
/// `package`, not public: raft's log arithmetic; the tests and the workbook's judges use it.
///
/// etcd: `entryID`.
package struct EntryID: Sendable, Hashable, CustomStringConvertible {
    package var term: UInt64
    package var index: UInt64

    package init(term: UInt64, index: UInt64) {
        self.term = term
        self.index = index
    }

    package var description: String { "\(term)/\(index)" }
}

extension Collection where Element == Entry {
    /// The total protobuf-encoded size of these entries.
    @inlinable package var encodedSize: Int {
        var total = 0
        for e in self { total += e.encodedSize }
        return total
    }

    /// The total payload size of these entries.
    @inlinable package var payloadSize: Int {
        var total = 0
        for e in self { total += e.data.count }
        return total
    }
}

extension Array where Element == Entry {
    /// The longest prefix whose encoded size stays within `maxSize`, but never empty when the array
    /// is not: a single entry larger than the limit still goes out alone, or nothing would progress.
    ///
    /// etcd: `limitSize`.
    @inlinable package func limitedTo(encodedSize maxSize: UInt64) -> [Entry] {
        guard count > 1 else { return self }
        var size = UInt64(self[0].encodedSize)
        for limit in 1..<count {
            size += UInt64(self[limit].encodedSize)
            if size > maxSize { return Array(self[0..<limit]) }
        }
        return self
    }
}
