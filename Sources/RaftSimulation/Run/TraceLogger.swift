import Raft
import RaftSupport

/// A raft logger that keeps the lines, for the simulator to move into its trace between raft
/// calls (and so next to the step that caused them). Raft's own panics are also written to
/// standard error, since the process stops right after.
final class TraceLogger: Logger {
    let level: LogLevel
    private let lines = Locked<[String]>([])

    init(level: LogLevel) { self.level = level }

    func isEnabled(_ level: LogLevel) -> Bool { level >= self.level }

    func log(_ level: LogLevel, _ message: String) {
        if level == .fatal { DefaultLogger(level: .fatal).log(level, message) }
        lines.withLock { $0.append("raft \(level): \(message)") }
    }

    /// The lines logged since the last call.
    func drain() -> [String] {
        lines.withLock { l in
            defer { l = [] }
            return l
        }
    }
}
