import Raft

/// Our binary forms of raft's records (entries, hard states, memberships, snapshot metadata),
/// shared by the WAL, the snapshot files and the transport.
///
/// Not protobuf on purpose: a fixed little-endian layout that `ByteReader` checks field by field
/// is short to write, short to audit, and cannot be coaxed into huge allocations.
public enum RaftCodec {
    /// Smallest encoding of an entry (term, index, type, empty data): bounds forged counts.
    static let minEntrySize = 8 + 8 + 1 + 4

    /// In the type byte: the entry has no type set (raft's proposals), or no payload set (a new
    /// leader's empty entry). Raft counts only set fields in an entry's size, as etcd does, so a
    /// follower and a restarted node must see the same presence as the leader that built it.
    static let typeUnset: UInt8 = 0x40
    static let dataUnset: UInt8 = 0x80

    public static func write(_ e: Entry, to w: inout ByteWriter) {
        w.u64(e.term)
        w.u64(e.index)
        var typeByte = e.typeIfSet?.rawValue ?? typeUnset
        if e.dataIfSet == nil { typeByte |= dataUnset }
        w.u8(typeByte)
        w.blob(e.data)
    }

    public static func readEntry(_ r: inout ByteReader) throws(WireDecodingError) -> Entry {
        let term = try r.u64("entry term")
        let index = try r.u64("entry index")
        let raw = try r.u8("entry type")
        let typeRaw = raw & ~(typeUnset | dataUnset)
        guard let type = EntryType(rawValue: typeRaw), raw & typeUnset == 0 || typeRaw == 0 else {
            throw WireDecodingError("entry type: unknown value \(raw)")
        }
        let data = try r.blob("entry data")
        guard raw & dataUnset == 0 || data.isEmpty else { throw WireDecodingError("entry data: unset but not empty") }
        return Entry(term: term, index: index, type: raw & typeUnset == 0 ? type : nil,
                     data: raw & dataUnset == 0 ? data : nil)
    }

    public static func write(_ hs: HardState, to w: inout ByteWriter) {
        w.u64(hs.term)
        w.u64(hs.vote)
        w.u64(hs.commit)
    }

    public static func readHardState(_ r: inout ByteReader) throws(WireDecodingError) -> HardState {
        HardState(term: try r.u64("hard state term"), vote: try r.u64("hard state vote"),
                  commit: try r.u64("hard state commit"))
    }

    public static func write(_ cs: ConfState, to w: inout ByteWriter) {
        w.ids(cs.voters)
        w.ids(cs.learners)
        w.ids(cs.votersOutgoing)
        w.ids(cs.learnersNext)
        w.bool(cs.autoLeave)
    }

    public static func readConfState(_ r: inout ByteReader) throws(WireDecodingError) -> ConfState {
        ConfState(voters: try r.ids("voters"), learners: try r.ids("learners"),
                  votersOutgoing: try r.ids("outgoing voters"), learnersNext: try r.ids("next learners"),
                  autoLeave: try r.bool("auto leave"))
    }

    public static func write(_ m: SnapshotMetadata, to w: inout ByteWriter) {
        w.u64(m.index)
        w.u64(m.term)
        write(m.confState, to: &w)
    }

    public static func readSnapshotMetadata(_ r: inout ByteReader) throws(WireDecodingError) -> SnapshotMetadata {
        let index = try r.u64("snapshot index")
        let term = try r.u64("snapshot term")
        return SnapshotMetadata(confState: try readConfState(&r), index: index, term: term)
    }

    public static func write(_ s: Snapshot, to w: inout ByteWriter) {
        write(s.metadata, to: &w)
        w.blob(s.data)
    }

    public static func readSnapshot(_ r: inout ByteReader) throws(WireDecodingError) -> Snapshot {
        let metadata = try readSnapshotMetadata(&r)
        return Snapshot(data: try r.blob("snapshot data"), metadata: metadata)
    }
}
