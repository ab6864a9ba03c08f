#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Raft

/// Snapshot files: the key-value state and raft's metadata (index, term, membership) at an
/// applied index, each in a file of its own, written atomically.
///
/// A file is `"RKVS" | version (u8) | crc32c (u32) | body length (u64) | body`, the body being
/// the snapshot in `RaftCodec`'s form. It is written to a temporary name, synced, renamed into
/// place, and the directory synced: after a crash the file is either entirely there or absent,
/// never half written. The newest `keep` files are kept, so that a damaged newest file still
/// leaves one to start from (the WAL keeps the entries after the older one; see `RaftKVNode`).
///
/// etcd: the `snap` package (`Snapshotter.SaveSnap`, `LoadNewestAvailable`).
public struct SnapshotStore: Sendable {
    public let directory: String
    public let keep: Int
    private let logger: any Logger
    private let saving = Locked(())

    static let magic: [UInt8] = Array("RKVS".utf8)
    static let version: UInt8 = 1
    static let headerSize = 4 + 1 + 4 + 8

    public init(directory: String, logger: any Logger, keep: Int = 2) throws {
        self.directory = directory
        self.logger = logger
        self.keep = max(keep, 1)
        try FileIO.makeDirectories(directory)
    }

    static func fileName(_ m: SnapshotMetadata) -> String { hex16(m.term) + "-" + hex16(m.index) + ".snap" }

    /// Writes `snapshot` atomically and deletes the files beyond the newest `keep`. Saves are
    /// serialized: the snapshot thread and the Ready loop (installing the leader's snapshot) may
    /// save at once, and one's pruning would delete the other's temporary file.
    public func save(_ snapshot: Snapshot) throws {
        try saving.withLock { (_: inout Void) throws in try saveAlone(snapshot) }
    }

    private func saveAlone(_ snapshot: Snapshot) throws {
        var body = ByteWriter(capacity: snapshot.data.count + 64)
        RaftCodec.write(snapshot, to: &body)
        var file = ByteWriter(capacity: body.bytes.count + Self.headerSize)
        file.raw(Self.magic)
        file.u8(Self.version)
        file.u32(CRC32C.checksum(body.bytes))
        file.u64(UInt64(body.bytes.count))
        file.raw(body.bytes)

        let path = directory + "/" + Self.fileName(snapshot.metadata)
        let tmp = path + ".tmp"
        let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        if fd < 0 { throw SystemError("create \(tmp)") }
        do {
            try FileIO.writeAll(fd, file.bytes, path: tmp)
            if fsync(fd) != 0 { throw SystemError("fsync \(tmp)") }
        } catch {
            close(fd)
            throw error
        }
        close(fd)
        try FileIO.rename(tmp, path)
        try FileIO.syncDirectory(directory)
        try prune()
    }

    /// The newest snapshot file that reads back whole (checksum and decoding), or nil when there
    /// is none. Damaged files are skipped with a warning, never deleted: they are evidence.
    public func loadNewest() throws -> Snapshot? {
        for name in try snapshotNames().reversed() {
            let path = directory + "/" + name
            do {
                return try Self.decode(try FileIO.readFile(path))
            } catch {
                logger.warning("snapshot: skipping \(path): \(error)")
            }
        }
        return nil
    }

    static func decode(_ bytes: [UInt8]) throws(WireDecodingError) -> Snapshot {
        var r = ByteReader(bytes)
        for (k, b) in magic.enumerated() where try r.u8("magic byte \(k)") != b {
            throw WireDecodingError("not a raftkv snapshot file")
        }
        let v = try r.u8("version")
        guard v == version else { throw WireDecodingError("version \(v) is not the supported \(version)") }
        let crc = try r.u32("checksum")
        let length = try r.u64("body length")
        guard length == UInt64(r.remaining) else {
            throw WireDecodingError("body is \(r.remaining) bytes, header says \(length)")
        }
        let body = Array(bytes[Self.headerSize...])
        guard CRC32C.checksum(body) == crc else { throw WireDecodingError("checksum mismatch") }
        var br = ByteReader(body)
        let snapshot = try RaftCodec.readSnapshot(&br)
        try br.expectEnd("snapshot")
        return snapshot
    }

    /// The snapshot file names, oldest first (names sort by term, then index).
    func snapshotNames() throws -> [String] {
        try FileIO.list(directory).filter { $0.hasSuffix(".snap") }
    }

    /// The index of the oldest snapshot file kept: the WAL must keep every entry after it, so
    /// that this file can still be started from should the newer ones be damaged.
    public func oldestIndex() throws -> UInt64? {
        guard let name = try snapshotNames().first else { return nil }
        let parts = name.dropLast(".snap".count).split(separator: "-")
        guard parts.count == 2 else { return nil }
        return UInt64(parts[1], radix: 16)
    }

    private func prune() throws {
        let names = try snapshotNames()
        for name in names.dropLast(keep) { try FileIO.remove(directory + "/" + name) }
        for name in try FileIO.list(directory) where name.hasSuffix(".tmp") {
            try FileIO.remove(directory + "/" + name)
        }
    }
}
