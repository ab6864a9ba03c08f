import Raft

/// The logger of the interaction environment: raft's log lines and the harness's own output go
/// into one buffer, which becomes a block's output. At the `none` level everything is silenced,
/// harness output included (errors are still reported by the handler).
///
/// etcd: `rafttest.RedirectLogger`.
final class RedirectLogger: Logger {
    /// etcd's levels, plus NONE above them all.
    static let levelNames = ["DEBUG", "INFO", "WARN", "ERROR", "FATAL", "NONE"]

    private struct State {
        var buffer = ""
        var level = 0
    }
    private let state = Locked(State())

    /// 0 = DEBUG ... 4 = FATAL, 5 = NONE.
    var level: Int {
        get { state.withLock { $0.level } }
        set { state.withLock { $0.level = newValue } }
    }

    /// Whether all output is silenced.
    var isQuiet: Bool { level == Self.levelNames.count - 1 }

    func isEnabled(_ level: LogLevel) -> Bool { self.level <= level.rawValue }

    func log(_ level: LogLevel, _ message: String) {
        guard isEnabled(level) else { return }
        write("\(level) \(message)\n")
    }

    /// Appends harness output (not a log line); dropped when quiet.
    func write(_ text: String) {
        state.withLock { s in
            if s.level != Self.levelNames.count - 1 { s.buffer += text }
        }
    }

    /// Takes the buffer's contents and empties it.
    func take() -> String {
        state.withLock { s in
            defer { s.buffer = "" }
            return s.buffer
        }
    }

    var isEmpty: Bool { state.withLock { $0.buffer.isEmpty } }

    /// Runs `body`, then indents by two spaces every line it wrote.
    func withIndent<T>(_ body: () throws -> T) rethrows -> T {
        let saved = take()
        defer {
            var lines = take().split(separator: "\n", omittingEmptySubsequences: false)
            if lines.last?.isEmpty == true { lines.removeLast() }
            let indented = saved + lines.map { "  \($0)\n" }.joined()
            state.withLock { $0.buffer = indented }
        }
        return try body()
    }
}
