import Raft

/// The simulated application's state machine: not a key-value store but a fingerprint of
/// everything applied, which is all the checks need.
///
/// `digest` chains the applied entries in order (term, type and payload), so two nodes with the
/// same applied index and digest applied the same sequence, and a snapshot carries the digest so
/// that a node restored from one can be checked too. Writes are recognized by their payload (see
/// `Payload`) to acknowledge them to their clients.
struct AppState: Sendable, Hashable {
    var appliedIndex: UInt64 = 0
    var digest: UInt64 = 0
    /// The membership after the last applied conf change (or the snapshot's).
    var confState = ConfState()

    /// The state a snapshot holds.
    init(snapshot: Snapshot) {
        appliedIndex = snapshot.metadata.index
        digest = Payload.digest(ofSnapshotData: snapshot.data)
        confState = snapshot.metadata.confState
    }

    init() {}

    /// Folds one applied entry into the digest.
    mutating func fold(_ e: Entry) {
        digest = AppState.chain(digest, e)
        appliedIndex = e.index
    }

    /// The digest after `e`, given the digest before it.
    static func chain(_ digest: UInt64, _ e: Entry) -> UInt64 {
        var h = SplitMix64.mix(digest ^ 0xA076_1D64_78BD_642F)
        h = SplitMix64.mix(h ^ e.term)
        h = SplitMix64.mix(h ^ UInt64(e.type.rawValue) ^ (e.index << 8))
        return SplitMix64.mix(h ^ Payload.hash(e.data))
    }

    /// The application's snapshot data for this state.
    var snapshotData: [UInt8] { Payload.snapshotData(digest: digest) }
}

/// How the simulator encodes what it puts into entries, read contexts and snapshots.
enum Payload {
    /// The first byte of a write's payload.
    static let writeTag: UInt8 = 0x57

    /// A write's payload: the tag, the write id (8 bytes, little endian), then `size` filler bytes.
    static func write(_ id: UInt64, size: Int) -> [UInt8] {
        var bytes: [UInt8] = [writeTag]
        bytes.reserveCapacity(9 + size)
        appendLittleEndian(id, to: &bytes)
        for k in 0..<size { bytes.append(UInt8(truncatingIfNeeded: id &+ UInt64(k))) }
        return bytes
    }

    /// The write id in an entry's payload, if the entry is a write.
    static func writeID(_ e: Entry) -> UInt64? {
        guard e.type == .entryNormal, e.data.count >= 9, e.data[0] == writeTag else { return nil }
        return readLittleEndian(e.data, at: 1)
    }

    /// A read request's context: the read id.
    static func readContext(_ id: UInt64) -> [UInt8] {
        var bytes: [UInt8] = []
        appendLittleEndian(id, to: &bytes)
        return bytes
    }

    /// The read id in a read state's context.
    static func readID(_ context: [UInt8]) -> UInt64? {
        context.count == 8 ? readLittleEndian(context, at: 0) : nil
    }

    static func snapshotData(digest: UInt64) -> [UInt8] {
        var bytes: [UInt8] = []
        appendLittleEndian(digest, to: &bytes)
        return bytes
    }

    /// The digest in a snapshot's data; 0 (the empty state) for data we did not write.
    static func digest(ofSnapshotData data: [UInt8]) -> UInt64 {
        data.count == 8 ? readLittleEndian(data, at: 0) : 0
    }

    /// FNV-1a over the bytes, finished with a mix.
    static func hash(_ bytes: [UInt8]) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        return SplitMix64.mix(h ^ UInt64(bytes.count))
    }

    private static func appendLittleEndian(_ v: UInt64, to bytes: inout [UInt8]) {
        for k in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: v >> (8 * UInt64(k)))) }
    }

    private static func readLittleEndian(_ bytes: [UInt8], at offset: Int) -> UInt64 {
        var v: UInt64 = 0
        for k in 0..<8 { v |= UInt64(bytes[offset + k]) << (8 * UInt64(k)) }
        return v
    }
}
