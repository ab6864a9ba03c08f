/// The text `raft-sim` prints for a violation: the seed and step, how to reproduce it, a
/// shortened schedule that reproduces it, and the events of the shortened run leading to it.
public struct ViolationReport: Sendable {
    public var seed: UInt64
    public var violation: Violation
    public var scenario: String
    /// The full run's command line.
    public var reproduce: String
    /// The shortened schedule, when shrinking was asked for and worked.
    public var shortened: Schedule?
    public var originalActions = 0
    public var originalFates = 0
    public var replays = 0
    /// The violation as the shortened run meets it (same kind, maybe earlier and in other words).
    public var shortenedViolation: Violation?
    /// The last events of the shortened run (or of the original run when not shortened).
    public var events: [String] = []

    /// Builds the report of `outcome` (a run with a violation): records the seed's schedule,
    /// shrinks it with at most `shrinkBudget` replays (0: do not shrink), and replays the result
    /// with full tracing to show what happened.
    public init?(_ outcome: Outcome, bug: InjectedBug?, strictLease: Bool = false, shrinkBudget: Int = 2000,
                 eventLines: Int = 60) {
        guard let v = outcome.violation else { return nil }
        seed = outcome.seed
        violation = v
        scenario = Scenario(seed: outcome.seed).description
        reproduce = "raft-sim --seed \(outcome.seed) --steps \(outcome.steps)" + (bug.map { " --bug \($0.rawValue)" } ?? "")
            + (strictLease ? " --strict-lease" : "")
        events = outcome.traceLines(limit: eventLines)
        guard shrinkBudget > 0 else { return }
        let recorded = Simulator(seed: outcome.seed, steps: outcome.steps, stopAfter: v.step, bug: bug,
                                 strictLease: strictLease, record: true).run()
        guard let schedule = recorded.schedule, recorded.violation?.kind == v.kind else { return }
        originalActions = schedule.actionCount
        originalFates = schedule.fates.count
        let shrinker = Shrinker(kind: v.kind, budget: shrinkBudget)
        guard let (short, _) = shrinker.shrink(schedule, violationStep: v.step) else { return }
        replays = shrinker.replays
        shortened = short
        let shown = Simulator(replaying: short, verbose: true).run()
        shortenedViolation = shown.violation
        events = shown.traceLines(limit: eventLines)
    }

    public var text: String {
        var out = "VIOLATION seed \(seed), step \(violation.step): \(violation.kind.rawValue): \(violation.detail)\n"
        out += "  scenario: \(scenario)\n"
        out += "  reproduce: \(reproduce)\n"
        if let shortened {
            out += "  shortened trace (\(shortened.actionCount) of \(originalActions) actions and "
                + "\(shortened.fates.count) of \(originalFates) message fates kept, \(replays) replays); "
                + "save it to a file and run raft-sim --replay FILE:\n"
            for line in shortened.text.split(separator: "\n") { out += "    \(line)\n" }
            if let sv = shortenedViolation { out += "  the shortened run fails at step \(sv.step): \(sv.detail)\n" }
        }
        out += "  events\(shortened == nil ? "" : " of the shortened run") (last \(events.count)):\n"
        for line in events { out += "    \(line)\n" }
        return out
    }
}
