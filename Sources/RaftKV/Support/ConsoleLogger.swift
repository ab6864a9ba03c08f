#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Raft

/// Writes log lines to standard error, each prefixed with the node it comes from, so that the
/// three nodes of `--demo` (one process) and the processes of a cluster can be told apart.
///
/// It is raft's `Logger` too: the library's lines (elections, role changes) come out interleaved
/// with the application's in one stream, which is what an operator reading a crash wants.
public struct ConsoleLogger: Logger {
    public var prefix: String
    public var level: LogLevel

    public init(prefix: String, level: LogLevel = .info) {
        self.prefix = prefix
        self.level = level
    }

    public func isEnabled(_ level: LogLevel) -> Bool { level >= self.level }

    public func log(_ level: LogLevel, _ message: String) {
        let line = "\(prefix) \(level): \(message)\n"
        FileIO.writeBestEffort(2, Array(line.utf8))
    }
}
