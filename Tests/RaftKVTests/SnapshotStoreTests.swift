import Foundation
import RaftTesting
import Testing
import Raft
@testable import RaftKV

@Suite struct SnapshotStoreTests {
    static func snapshot(_ index: UInt64, _ data: String) -> Snapshot {
        Snapshot(data: Array(data.utf8), metadata: SnapshotMetadata(confState: ConfState(voters: [1, 2, 3]), index: index, term: 2))
    }

    /// The newest snapshot is loaded; only the newest two files are kept, with no temporaries.
    @Test func savesAtomicallyAndKeepsTwo() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let store = try SnapshotStore(directory: dir.path, logger: CapturingLogger(level: .info))
        #expect(try store.loadNewest() == nil)
        for i in 1...4 { try store.save(Self.snapshot(UInt64(i * 10), "s\(i)")) }
        #expect(try store.loadNewest() == Self.snapshot(40, "s4"))
        let files = try FileIO.list(dir.path)
        #expect(files.count == 2)
        #expect(!files.contains { $0.hasSuffix(".tmp") })
        #expect(try store.oldestIndex() == 30)
    }

    /// A damaged newest file is skipped with a warning, and the one before it is loaded.
    @Test func damagedNewestFallsBack() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let logger = CapturingLogger(level: .info)
        let store = try SnapshotStore(directory: dir.path, logger: logger)
        try store.save(Self.snapshot(10, "old"))
        try store.save(Self.snapshot(20, "new"))
        let newest = dir.path + "/" + SnapshotStore.fileName(Self.snapshot(20, "").metadata)
        var bytes = try FileIO.readFile(newest)
        bytes[bytes.count - 1] ^= 0xFF
        try Data(bytes).write(to: URL(fileURLWithPath: newest))
        #expect(try store.loadNewest() == Self.snapshot(10, "old"))
        #expect(logger.lines.contains { $0.contains("skipping \(newest)") && $0.contains("checksum") })
    }
}

@Suite struct KVStoreTests {
    /// The state (values and peer URLs) survives a snapshot round trip.
    @Test func snapshotRoundTrip() throws {
        let kv = KVStore()
        kv.apply(.put(key: "a", value: [1]))
        kv.apply(.put(key: "b", value: []))
        #expect(kv.apply(.delete(key: "a")))
        #expect(!kv.apply(.delete(key: "zzz")))
        kv.setPeer(4, url: "http://127.0.0.1:42379")
        let other = KVStore()
        try other.restore(from: kv.snapshotData())
        #expect(other.get("b") == [])
        #expect(other.get("a") == nil)
        #expect(other.peers == [4: "http://127.0.0.1:42379"])
        #expect(throws: WireDecodingError.self) { try KVStore.validateSnapshot(Array(kv.snapshotData().dropLast())) }
    }

    /// Commands round-trip, and garbage does not decode.
    @Test func commandRoundTrip() throws {
        let c = KVCommand(requestID: RequestID(node: 1, sequence: 99), operation: .put(key: "k", value: [7]))
        #expect(try KVCommand(decoding: c.encoded()) == c)
        let d = KVCommand(requestID: RequestID(node: 2, sequence: 1), operation: .delete(key: "k"))
        #expect(try KVCommand(decoding: d.encoded()) == d)
        #expect(throws: WireDecodingError.self) { try KVCommand(decoding: [1, 2, 3]) }
    }
}
