import Raft
import RaftSupport

/// A logger that keeps what raft says, for tests and the workbook's checks that look at it: etcd's
/// log texts, leader changes, or whether two twins said the same.
///
/// The one capturing logger of the test targets and the checks.
public final class CapturingLogger: Logger {
    private let records = Locked<[(level: LogLevel, message: String)]>([])
    /// The lowest level kept.
    public let level: LogLevel

    /// A logger that keeps every line at `level` or above (all of them by default).
    public init(level: LogLevel = .debug) { self.level = level }

    public func isEnabled(_ level: LogLevel) -> Bool { level >= self.level }

    public func log(_ level: LogLevel, _ message: String) {
        records.withLock { $0.append((level, message)) }
    }

    /// The lines so far as `LEVEL message`.
    public var lines: [String] { records.withLock { $0.map { "\($0.level) \($0.message)" } } }

    /// The messages so far, without their levels.
    public var messages: [String] { records.withLock { $0.map(\.message) } }

    /// The `raft.node:` messages: the leader changes a `Node` noticed.
    public var nodeLines: [String] { messages.filter { $0.hasPrefix("raft.node: ") } }

    /// Forgets the lines so far.
    public func clear() { records.withLock { $0 = [] } }
}
