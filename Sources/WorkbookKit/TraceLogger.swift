import Raft

/// Raft's logger for scenarios: its INFO lines (role changes, votes cast, conflicts found) go into
/// the narration, when the trace shows them, instead of standard error; with `--verbose`, every
/// line, DEBUG included.
struct TraceLogger: Logger {
    let trace: Trace

    func isEnabled(_ level: LogLevel) -> Bool { level >= (trace.verbose ? .debug : .info) }

    func log(_ level: LogLevel, _ message: String) {
        trace.raftLog(level == .info ? message : "\(level) \(message)")
    }
}
