import Raft

/// Warnings that a peer or a client can cause at will (junk frames, a full queue): the first few
/// of each kind in each interval are logged, the rest counted and summed up in the next line of
/// that kind, so that a flood of bad input cannot flood the log, nor hide the other kinds (etcd's
/// rafthttp merges such lines the same way).
final class RateLimitedLog: Sendable {
    private let logger: any Logger
    private let perInterval: Int
    private let interval: Duration

    private struct Window {
        var start = ContinuousClock.now
        var logged = 0
        var suppressed = 0
    }
    private let windows = Locked([String: Window]())

    init(logger: any Logger, perInterval: Int = 5, interval: Duration = .seconds(10)) {
        self.logger = logger
        self.perInterval = perInterval
        self.interval = interval
    }

    /// Logs `message` as a warning unless this interval's share for `kind` was used up.
    func warning(_ kind: String, _ message: @autoclosure () -> String) {
        let now = ContinuousClock.now
        let (log, suppressedBefore) = windows.withLock { windows -> (Bool, Int) in
            var before = 0
            var w = windows[kind] ?? Window(start: now)
            defer { windows[kind] = w }
            if now - w.start >= interval {
                before = w.suppressed
                w = Window(start: now)
            }
            guard w.logged < perInterval else {
                w.suppressed += 1
                return (false, 0)
            }
            w.logged += 1
            return (true, before)
        }
        guard log else { return }
        let note = suppressedBefore > 0 ? " (\(suppressedBefore) similar warnings suppressed before this one)" : ""
        logger.warning(message() + note)
    }
}
