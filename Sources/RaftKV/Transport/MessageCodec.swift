import Raft

/// The versioned binary form of a raft `Message` on the wire between raftkv peers.
///
/// Layout (little-endian): a version byte, then type, to, from, term, logTerm, index, the
/// entries (count, then each entry), commit, vote, an optional snapshot (flag, then the
/// snapshot), reject, rejectHint, and the context. `responses` is local to a node and never
/// crosses the wire: a message carrying any is refused by `encode`'s callers' contract and is
/// not representable in the format.
///
/// `decode` checks every field and length and the absence of trailing bytes: a malformed frame
/// becomes a `WireDecodingError` naming the field, never a crash or a huge allocation.
public enum MessageCodec {
    /// The format version this build writes and reads. A peer speaking another version is
    /// refused frame by frame (and says so in the log) rather than misread.
    public static let version: UInt8 = 1

    public static func encode(_ m: Message) -> [UInt8] {
        var w = ByteWriter(capacity: 64 + m.entries.reduce(0) { $0 + $1.data.count + RaftCodec.minEntrySize })
        w.u8(version)
        w.u8(m.type.rawValue)
        w.u64(m.to)
        w.u64(m.from)
        w.u64(m.term)
        w.u64(m.logTerm)
        w.u64(m.index)
        w.u32(UInt32(m.entries.count))
        for e in m.entries { RaftCodec.write(e, to: &w) }
        w.u64(m.commit)
        w.u64(m.vote)
        if let s = m.snapshot {
            w.bool(true)
            RaftCodec.write(s, to: &w)
        } else {
            w.bool(false)
        }
        w.bool(m.reject)
        w.u64(m.rejectHint)
        w.blob(m.context)
        return w.bytes
    }

    public static func decode(_ bytes: [UInt8]) throws(WireDecodingError) -> Message {
        var r = ByteReader(bytes)
        let v = try r.u8("version")
        guard v == version else { throw WireDecodingError("version: \(v) is not the supported \(version)") }
        let raw = try r.u8("message type")
        guard let type = MessageType(rawValue: raw) else { throw WireDecodingError("message type: unknown value \(raw)") }
        var m = Message(type: type)
        m.to = try r.u64("to")
        m.from = try r.u64("from")
        m.term = try r.u64("term")
        m.logTerm = try r.u64("log term")
        m.index = try r.u64("index")
        let n = try r.count("entries", minSize: RaftCodec.minEntrySize)
        m.entries.reserveCapacity(n)
        for _ in 0..<n { m.entries.append(try RaftCodec.readEntry(&r)) }
        m.commit = try r.u64("commit")
        m.vote = try r.u64("vote")
        if try r.bool("snapshot flag") { m.snapshot = try RaftCodec.readSnapshot(&r) }
        m.reject = try r.bool("reject")
        m.rejectHint = try r.u64("reject hint")
        m.context = try r.blob("context")
        try r.expectEnd("message")
        return m
    }
}
