import Raft
import Testing
@testable import RaftKV

/// The WAL's framing: `frame(into:)` writes a record's header after its body, in place, into a
/// buffer shared by a whole save. The bytes on disk must not change with it.
@Suite struct WALRecordTests {
    /// The framing as it was first written, one array for the body and one for the record, kept
    /// here as the reference the in-place framing must match byte for byte.
    static func referenceFramed(_ record: WALRecord) -> [UInt8] {
        var body = ByteWriter(capacity: 32)
        switch record {
        case .entry(let e):
            body.u8(1)
            RaftCodec.write(e, to: &body)
        case .hardState(let hs):
            body.u8(2)
            RaftCodec.write(hs, to: &body)
        case .logReset(let index, let term):
            body.u8(3)
            body.u64(index)
            body.u64(term)
        }
        var length = ByteWriter(capacity: 4)
        length.u32(UInt32(body.bytes.count))
        var out = ByteWriter(capacity: body.bytes.count + 12)
        out.u32(UInt32(body.bytes.count))
        out.u32(CRC32C.checksum(length.bytes) ^ 0x5241_4654)
        out.u32(CRC32C.checksum(body.bytes))
        out.raw(body.bytes)
        return out.bytes
    }

    static let records: [WALRecord] = {
        var rng = SeededRandomNumberGenerator(seed: 17)
        var records: [WALRecord] = [
            .entry(Entry()),
            .entry(Entry(term: 1, index: 1)),
            .entry(Entry(term: 2, index: 3, data: [])),
            .entry(Entry(term: 2, index: 4, type: .entryNormal, data: Array("put k v".utf8))),
            .entry(Entry(term: 3, index: 5, type: .entryConfChange, data: [8, 1, 16, 2])),
            .entry(Entry(term: 3, index: 6, type: .entryConfChangeV2, data: [0])),
            .entry(Entry(term: .max, index: .max, data: [UInt8](repeating: 0xFF, count: 70_000))),
            .hardState(HardState()),
            .hardState(HardState(term: 5, vote: 2, commit: 41)),
            .hardState(HardState(term: .max, vote: .max, commit: .max)),
            .logReset(index: 0, term: 0),
            .logReset(index: 1 << 40, term: 7),
        ]
        for n in [1, 7, 8, 9, 63, 64, 65, 160, 300, 4096] {
            let data = (0..<n).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            records.append(.entry(Entry(term: rng.next() >> 40, index: rng.next() >> 20, data: data)))
        }
        return records
    }()

    /// Each record alone, through `framed()` and through `frame(into:)` after other bytes, is
    /// the reference's bytes.
    @Test func eachRecordMatchesTheReference() {
        for record in Self.records {
            let expected = Self.referenceFramed(record)
            #expect(record.framed() == expected, "\(record)")
            var w = ByteWriter()
            w.raw([9, 9, 9])  // not at offset 0: the header is patched where the record starts
            record.frame(into: &w)
            #expect(w.bytes == [9, 9, 9] + expected, "\(record)")
        }
    }

    /// All records framed into one buffer are the concatenation of the reference's framings, and
    /// read back as the same records.
    @Test func oneBufferIsTheConcatenation() throws {
        var w = ByteWriter()
        for record in Self.records { record.frame(into: &w) }
        #expect(w.bytes == Self.records.flatMap(Self.referenceFramed))
        let scan = try WALSegmentReader.scan(w.bytes, file: "buffer", isLast: false)
        #expect(scan.records.map(\.record) == Self.records)
        #expect(scan.torn == nil)
    }

    /// One record pinned to hand-built bytes: a log reset at index 2, term 3.
    @Test func logResetBytes() {
        let body: [UInt8] = [3, 2, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0]
        let check = CRC32C.checksum([17, 0, 0, 0]) ^ 0x5241_4654
        let crc = CRC32C.checksum(body)
        func le(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }
        #expect(WALRecord.logReset(index: 2, term: 3).framed() == [17, 0, 0, 0] + le(check) + le(crc) + body)
    }
}
