/// How much a log line matters. The names are etcd's, as printed in its transcripts.
public enum LogLevel: Int, Sendable, Comparable, CaseIterable, CustomStringConvertible {
    /// What only someone debugging raft wants: every message stepped, every state change.
    case debug
    /// Elections, role and leader changes, membership changes: what an operator wants to see.
    case info
    /// Something unexpected that raft survives: a message refused, a snapshot that failed.
    case warning
    /// Something failed that the application should look at.
    case error
    /// Raft's own state is broken and it is about to stop (see `Logger.panic(_:)`).
    case fatal

    public static func < (a: LogLevel, b: LogLevel) -> Bool { a.rawValue < b.rawValue }

    public var description: String {
        switch self {
        case .debug: "DEBUG"
        case .info: "INFO"
        case .warning: "WARN"
        case .error: "ERROR"
        case .fatal: "FATAL"
        }
    }
}

/// Where raft writes what it is doing: elections, role changes, rejected messages.
///
/// Implement `isEnabled` and `log`; the level helpers (`info`, `debug`...) build a message only
/// when its level is enabled, so disabled logging costs a comparison.
///
/// etcd: `raft.Logger`.
public protocol Logger: Sendable {
    /// Whether lines at `level` are wanted.
    func isEnabled(_ level: LogLevel) -> Bool
    /// Writes one line (without a trailing newline) at `level`.
    func log(_ level: LogLevel, _ message: String)
}

extension Logger {
    /// Logs `message` at `.debug`, building it only when that level is enabled.
    @inlinable public func debug(_ message: @autoclosure () -> String) {
        if isEnabled(.debug) { log(.debug, message()) }
    }

    /// Logs `message` at `.info`, building it only when that level is enabled.
    @inlinable public func info(_ message: @autoclosure () -> String) {
        if isEnabled(.info) { log(.info, message()) }
    }

    /// Logs `message` at `.warning`, building it only when that level is enabled.
    @inlinable public func warning(_ message: @autoclosure () -> String) {
        if isEnabled(.warning) { log(.warning, message()) }
    }

    /// Logs `message` at `.error`, building it only when that level is enabled.
    @inlinable public func error(_ message: @autoclosure () -> String) {
        if isEnabled(.error) { log(.error, message()) }
    }

    /// Raft's own bookkeeping is broken (not a peer's input: that is validated and refused before it
    /// gets this far). Like etcd, log it and stop rather than continue with corrupt state.
    public func panic(_ message: String) -> Never {
        log(.fatal, message)
        fatalError(message)
    }
}

/// Writes `raft LEVEL: message` lines to standard error; debug lines only when asked for.
///
/// etcd: `DefaultLogger`.
public struct DefaultLogger: Logger {
    /// The lowest level written; lines below it are dropped.
    public var level: LogLevel

    /// A logger writing lines at `level` and above (by default, everything but debug).
    public init(level: LogLevel = .info) { self.level = level }

    public func isEnabled(_ level: LogLevel) -> Bool { level >= self.level }

    public func log(_ level: LogLevel, _ message: String) {
        writeAll("raft \(level): \(message)\n", to: 2)
    }
}

/// Drops every line.
public struct DiscardLogger: Logger {
    /// A logger that writes nothing, for tests and benchmarks that do not read the log.
    public init() {}
    public func isEnabled(_ level: LogLevel) -> Bool { false }
    public func log(_ level: LogLevel, _ message: String) {}
}
