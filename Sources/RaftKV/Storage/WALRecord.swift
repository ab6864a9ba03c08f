import Raft

/// One record of the write-ahead log, and its framing on disk.
///
/// On disk a record is `length (u32) | length check (u32) | crc32c (u32) | kind (u8) | payload`,
/// where `length` counts the kind byte and the payload, the length check is the CRC-32C of the
/// four length bytes, and the last CRC covers kind and payload. The length comes first, with a
/// check of its own, so that a reader can tell a record cut short by a crash (a sound length
/// whose end lies past the end of the file) from a damaged one: without the check, a flipped bit
/// in a length would look like a torn tail, and truncating there would silently drop the
/// records after it.
public enum WALRecord: Sendable, Hashable {
    /// A log entry. A later entry with the same or a lower index replaces it and all after it,
    /// as raft overwrites a follower's uncommitted tail.
    case entry(Entry)
    /// The term, vote and commit index; the last one in the log is the current one.
    case hardState(HardState)
    /// The log was replaced by a snapshot received from the leader at this index and term: every
    /// entry before this record is void.
    case logReset(index: UInt64, term: UInt64)

    /// The header: length, its check, and the checksum.
    public static let headerSize = 12

    /// The check stored after a record's length.
    static func lengthCheck(_ length: UInt32) -> UInt32 {
        withUnsafeBytes(of: length.littleEndian) { CRC32C.checksum(contiguous: $0, continuing: 0) }
            ^ 0x5241_4654  // distinct from the CRC of an empty body
    }

    enum Kind: UInt8 {
        case entry = 1
        case hardState = 2
        case logReset = 3
    }

    /// The record framed for disk: header, kind, payload.
    public func framed() -> [UInt8] {
        var out = ByteWriter(capacity: Self.headerSize + 32)
        frame(into: &out)
        return out.bytes
    }

    /// Appends the record framed for disk to `out`, in place: a header of zeros, then kind and
    /// payload, then the header patched with the body's length, its check and the checksum. A
    /// whole `WAL.save` frames its records into one buffer this way, with no array per record.
    public func frame(into out: inout ByteWriter) {
        let start = out.count
        out.u32(0)
        out.u32(0)
        out.u32(0)
        let bodyStart = out.count
        switch self {
        case .entry(let e):
            out.u8(Kind.entry.rawValue)
            RaftCodec.write(e, to: &out)
        case .hardState(let hs):
            out.u8(Kind.hardState.rawValue)
            RaftCodec.write(hs, to: &out)
        case .logReset(let index, let term):
            out.u8(Kind.logReset.rawValue)
            out.u64(index)
            out.u64(term)
        }
        let length = UInt32(out.count - bodyStart)
        let crc = out.withBytes(from: bodyStart) { CRC32C.checksum(contiguous: $0, continuing: 0) }
        out.u32(length, at: start)
        out.u32(Self.lengthCheck(length), at: start + 4)
        out.u32(crc, at: start + 8)
    }

    /// An upper bound of the framed size of `entries` (their data plus a fixed overhead each),
    /// to reserve one buffer for a whole save.
    static func framedSizeEstimate(_ entries: [Entry]) -> Int {
        var n = headerSize + 1 + 24  // a hard state record
        for e in entries { n += headerSize + 1 + 8 + 8 + 1 + 4 + e.data.count }
        return n
    }

    /// Decodes the kind byte and payload of a record whose checksum already matched.
    public static func decode(_ body: [UInt8]) throws(WireDecodingError) -> WALRecord {
        var r = ByteReader(body)
        let raw = try r.u8("record kind")
        let record: WALRecord
        switch Kind(rawValue: raw) {
        case .entry: record = .entry(try RaftCodec.readEntry(&r))
        case .hardState: record = .hardState(try RaftCodec.readHardState(&r))
        case .logReset: record = .logReset(index: try r.u64("reset index"), term: try r.u64("reset term"))
        case nil: throw WireDecodingError("record kind: unknown value \(raw)")
        }
        try r.expectEnd("record")
        return record
    }
}
