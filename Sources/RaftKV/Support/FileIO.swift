#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A failed system call, with the path or peer it concerned and the C library's reason.
public struct SystemError: Error, Sendable, CustomStringConvertible {
    public var description: String

    public init(_ what: String, errno code: Int32 = errno) {
        description = "\(what): \(String(cString: strerror(code)))"
    }

    public init(message: String) { description = message }
}

/// The handful of POSIX file operations the WAL and the snapshot store need, each retrying on
/// EINTR and reporting failures with the path, so that a disk problem reads as one in the log.
public enum FileIO {
    /// Writes every byte, looping over short writes.
    public static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws(SystemError) {
        let result = WriteAll.write(bytes) { write(fd, $0, $1) }
        if result != 0 { throw SystemError("write \(path)", errno: result) }
    }

    /// Writes every byte at file offset `offset` (not at the file's end), looping over short
    /// writes.
    public static func writeAll(_ fd: Int32, _ bytes: [UInt8], at offset: Int, path: String) throws(SystemError) {
        var at = offset
        let result = WriteAll.write(bytes) { p, n in
            let written = pwrite(fd, p, n, off_t(at))
            if written > 0 { at += written }
            return written
        }
        if result != 0 { throw SystemError("write \(path)", errno: result) }
    }

    /// Cuts the open file `fd` down to `length` bytes and makes that durable (`fsync`: the size
    /// is metadata that `fdatasync` need not write when the file shrinks).
    public static func truncate(_ fd: Int32, to length: Int, path: String) throws(SystemError) {
        if ftruncate(fd, off_t(length)) != 0 { throw SystemError("truncate \(path)") }
        if fsync(fd) != 0 { throw SystemError("fsync \(path)") }
    }

    /// Writes what it can, ignoring errors: for log lines, which must never stop the node.
    public static func writeBestEffort(_ fd: Int32, _ bytes: [UInt8]) {
        _ = WriteAll.write(bytes) { write(fd, $0, $1) }
    }

    /// Makes what was written to `fd` durable: the data and the metadata needed to read it back.
    public static func sync(_ fd: Int32, path: String) throws(SystemError) {
        if LibC.dataSync(fd) != 0 { throw SystemError("fdatasync \(path)") }
    }

    /// Makes the directory entries of `dir` durable: a file created or renamed in it survives a
    /// crash only once its directory was synced.
    public static func syncDirectory(_ dir: String) throws(SystemError) {
        let fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd < 0 { throw SystemError("open directory \(dir)") }
        defer { close(fd) }
        if fsync(fd) != 0 { throw SystemError("fsync directory \(dir)") }
    }

    /// The whole content of a file.
    public static func readFile(_ path: String) throws(SystemError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw SystemError("open \(path)") }
        defer { close(fd) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw SystemError("read \(path)")
            }
            if n == 0 { return out }
            out.append(contentsOf: chunk[0..<n])
        }
    }

    /// The names in `dir` (not `.` and `..`), sorted.
    public static func list(_ dir: String) throws(SystemError) -> [String] {
        guard let d = opendir(dir) else { throw SystemError("open directory \(dir)") }
        defer { closedir(d) }
        var names: [String] = []
        while let entry = readdir(d) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    /// Creates `dir` and its missing parents.
    public static func makeDirectories(_ dir: String) throws(SystemError) {
        var path = dir.hasPrefix("/") ? "" : "."
        for part in dir.split(separator: "/") {
            path += "/" + part
            if mkdir(path, 0o755) != 0 && errno != EEXIST { throw SystemError("mkdir \(path)") }
        }
    }

    public static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

    public static func remove(_ path: String) throws(SystemError) {
        if unlink(path) != 0 && errno != ENOENT { throw SystemError("remove \(path)") }
    }

    public static func rename(_ from: String, _ to: String) throws(SystemError) {
        if LibC.rename(from, to) != 0 { throw SystemError("rename \(from) to \(to)") }
    }

    /// Cuts the file at `path` down to `length` bytes and syncs it.
    public static func truncate(_ path: String, to length: Int) throws(SystemError) {
        let fd = open(path, O_WRONLY | O_CLOEXEC)
        if fd < 0 { throw SystemError("open \(path)") }
        defer { close(fd) }
        if ftruncate(fd, off_t(length)) != 0 { throw SystemError("truncate \(path)") }
        try sync(fd, path: path)
    }
}
