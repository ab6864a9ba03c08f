import RaftTesting
import Testing
import Raft
@testable import RaftKV

@Suite struct MessageCodecTests {
    static let full = Message(
        type: .msgSnap, to: 2, from: 1, term: 7, logTerm: 6, index: 41,
        entries: [Entry(term: 6, index: 42, data: [1, 2, 3]), Entry(term: 7, index: 43, type: .entryConfChange, data: [])],
        commit: 40, vote: 3,
        snapshot: Snapshot(data: Array("state".utf8),
                           metadata: SnapshotMetadata(confState: ConfState(voters: [1, 2, 3], learners: [4], votersOutgoing: [1],
                                                                           learnersNext: [5], autoLeave: true),
                                                      index: 40, term: 6)),
        reject: true, rejectHint: 39, context: [9, 9])

    /// Every field survives the round trip.
    @Test func roundTrip() throws {
        #expect(try MessageCodec.decode(MessageCodec.encode(Self.full)) == Self.full)
        let bare = Message(type: .msgHeartbeat, to: 1, from: 2, term: 3)
        #expect(try MessageCodec.decode(MessageCodec.encode(bare)) == bare)
    }

    /// Which entry fields were set survives the round trip, so that a follower (and a restarted
    /// node) counts the same entry sizes as the leader that built the entries.
    @Test func entryFieldPresenceSurvives() throws {
        let entries = [
            Entry(term: 1, index: 2, data: [1]),  // a proposal: no type
            Entry(term: 1, index: 3),  // a new leader's entry: neither type nor data
            Entry(term: 1, index: 4, type: .entryNormal, data: []),  // both set, data empty
            Entry(term: 1, index: 5, type: .entryConfChangeV2),
        ]
        let decoded = try MessageCodec.decode(MessageCodec.encode(Message(type: .msgApp, to: 2, from: 1, entries: entries)))
        #expect(decoded.entries.map(\.typeIfSet) == entries.map(\.typeIfSet))
        #expect(decoded.entries.map(\.dataIfSet) == entries.map(\.dataIfSet))
        #expect(decoded.entries.map(\.encodedSize) == [7, 4, 8, 6])
    }

    /// Every strict prefix of a valid frame is refused (no field may be read past the end), and
    /// so is a frame with a byte too many.
    @Test func truncationsAndTrailingBytesAreRefused() {
        let bytes = MessageCodec.encode(Self.full)
        for n in 0..<bytes.count {
            #expect(throws: WireDecodingError.self) { try MessageCodec.decode(Array(bytes[0..<n])) }
        }
        #expect(throws: WireDecodingError.self) { try MessageCodec.decode(bytes + [0]) }
    }

    /// A wrong version, an unknown message type, an entry type out of range, a boolean that is
    /// neither 0 nor 1: each is named in the error.
    @Test func badFieldsAreNamed() {
        var bytes = MessageCodec.encode(Self.full)
        bytes[0] = 2
        #expect(throws: WireDecodingError.self) { try MessageCodec.decode(bytes) }
        bytes = MessageCodec.encode(Self.full)
        bytes[1] = 200
        do {
            _ = try MessageCodec.decode(bytes)
            Issue.record("an unknown type decoded")
        } catch {
            #expect(error.description.contains("message type"))
        }
        // The first entry's type byte: version, type, 5 u64s, the entry count, term, index.
        bytes = MessageCodec.encode(Self.full)
        bytes[2 + 40 + 4 + 16] = 9
        #expect(throws: WireDecodingError.self) { try MessageCodec.decode(bytes) }
    }

    /// A forged entry count or data length larger than the frame is refused before anything is
    /// allocated for it.
    @Test func forgedCountsAreRefused() {
        var w = ByteWriter()
        w.u8(MessageCodec.version)
        w.u8(MessageType.msgApp.rawValue)
        for _ in 0..<5 { w.u64(1) }
        w.u32(UInt32.max) // entries
        #expect(throws: WireDecodingError.self) { try MessageCodec.decode(w.bytes) }
        var b = ByteWriter()
        b.u8(MessageCodec.version)
        b.u8(MessageType.msgApp.rawValue)
        for _ in 0..<5 { b.u64(1) }
        b.u32(1)
        b.u64(1); b.u64(2); b.u8(0); b.u32(0x7FFF_FFFF) // data length past the end
        #expect(throws: WireDecodingError.self) { try MessageCodec.decode(b.bytes) }
    }

    /// Thousands of random frames and random mutations of a valid one: decoding either succeeds
    /// or throws, and never traps.
    @Test func randomInputNeverTraps() {
        var rng = SeededRandomNumberGenerator(seed: 42)
        let valid = MessageCodec.encode(Self.full)
        var decoded = 0
        for k in 0..<5000 {
            var bytes: [UInt8]
            if k % 2 == 0 {
                bytes = (0..<Int.random(in: 0..<200, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            } else {
                bytes = valid
                for _ in 0..<Int.random(in: 1...4, using: &rng) {
                    bytes[Int.random(in: 0..<bytes.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
                }
            }
            if (try? MessageCodec.decode(bytes)) != nil { decoded += 1 }
        }
        #expect(decoded < 5000)
    }

    /// The transport drops malformed frames and messages that are not for it, and delivers the
    /// rest; nothing it is fed stops it.
    @Test func transportFiltersFrames() throws {
        let delivered = Locked<[Message]>([])
        let logger = CapturingLogger(level: .info)
        let transport = try Transport(
            localID: 2, clusterID: 7, listen: Endpoint(host: "127.0.0.1", port: 0),
            reports: TransportReports(unreachable: { _ in }, snapshot: { _, _ in }), logger: logger,
            deliver: { m in delivered.withLock { $0.append(m) } })
        defer { transport.stop() }
        transport.accept([1, 2, 3], from: 1)
        transport.accept(MessageCodec.encode(Message(type: .msgHeartbeat, to: 3, from: 1, term: 1)), from: 1)
        transport.accept(MessageCodec.encode(Message(type: .msgHup, to: 2, from: 1, term: 1)), from: 1)
        transport.accept(MessageCodec.encode(Message(type: .msgSnap, to: 2, from: 1, term: 1)), from: 1)
        let good = Message(type: .msgHeartbeat, to: 2, from: 1, term: 1)
        transport.accept(MessageCodec.encode(good), from: 1)
        #expect(delivered.withLock { $0 } == [good])
        #expect(logger.lines.filter { $0.contains("dropped") }.count == 4)
    }
}
