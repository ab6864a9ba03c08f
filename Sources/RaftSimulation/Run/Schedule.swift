/// A run written down: the seed (which fixes the scenario and every node's election timeouts), the
/// number of steps, the actions of each step and the fate of each message, numbered in the order
/// the messages were sent.
///
/// Recording a seed's run gives its full schedule; replaying a schedule reproduces the run without
/// drawing anything at random. A shortened schedule (see `Shrinker`) is what a violation report
/// prints. Messages the schedule gives no fate get `Fate.default`; actions that make no sense when
/// their step comes (crashing a node that is down, proposing through a node that was removed) do
/// nothing.
public struct Schedule: Sendable, Hashable {
    public var seed: UInt64
    /// The run's length, which places its calm periods (see `Timeline`).
    public var steps: Int
    /// Where the run stops: a shortened schedule ends right after its violation, without moving
    /// the calm periods of the full run.
    public var stopAfter: Int?
    /// The injected bug, if any (see `InjectedBug`).
    public var bug: InjectedBug?
    /// Whether stale lease reads from a deposed leader count as violations.
    public var strictLease = false
    /// Actions by step, in the order they happen within the step.
    public var actions: [Int: [Action]] = [:]
    /// Message fates by message number; a missing number means `Fate.default`.
    public var fates: [Int: Fate] = [:]

    public init(seed: UInt64, steps: Int, bug: InjectedBug? = nil) {
        self.seed = seed
        self.steps = steps
        self.bug = bug
    }

    /// How many actions there are over all steps.
    public var actionCount: Int { actions.values.reduce(0) { $0 + $1.count } }

    /// Every action with its step, in order.
    public var orderedActions: [(step: Int, action: Action)] {
        actions.keys.sorted().flatMap { step in actions[step, default: []].map { (step, $0) } }
    }

    /// The schedule as text, one item per line: a header (`seed`, `steps`, `stop-after`, `bug`, `strict-lease`), then `@STEP
    /// ACTION` lines, then `mN FATE` lines for the messages that do not get the default fate.
    public var text: String {
        var lines = ["seed \(seed)", "steps \(steps)"]
        if let stopAfter { lines.append("stop-after \(stopAfter)") }
        if let bug { lines.append("bug \(bug.rawValue)") }
        if strictLease { lines.append("strict-lease") }
        for (step, action) in orderedActions { lines.append("@\(step) \(action)") }
        for n in fates.keys.sorted() {
            if let fate = fates[n], fate != .default { lines.append("m\(n) \(fate)") }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Parses `text`. Blank lines and lines starting with `#` are skipped.
    public init(parsing text: String) throws(ScheduleParseError) {
        var seed: UInt64?
        var steps: Int?
        var stopAfter: Int?
        var bug: InjectedBug?
        var strictLease = false
        var actions: [Int: [Action]] = [:]
        var fates: [Int: Fate] = [:]
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.drop { $0 == " " }
            if line.isEmpty || line.first == "#" { continue }
            func fail() -> ScheduleParseError { ScheduleParseError(line: number + 1, text: String(raw)) }
            if line.hasPrefix("seed ") {
                guard let s = UInt64(line.dropFirst(5)) else { throw fail() }
                seed = s
            } else if line.hasPrefix("steps ") {
                guard let s = Int(line.dropFirst(6)), s >= 0 else { throw fail() }
                steps = s
            } else if line.hasPrefix("stop-after ") {
                guard let s = Int(line.dropFirst(11)), s >= 0 else { throw fail() }
                stopAfter = s
            } else if line == "strict-lease" {
                strictLease = true
            } else if line.hasPrefix("bug ") {
                guard let b = InjectedBug(rawValue: String(line.dropFirst(4))) else { throw fail() }
                bug = b
            } else if line.first == "@" {
                guard let space = line.firstIndex(of: " "),
                      let step = Int(line[line.index(after: line.startIndex)..<space]),
                      let action = Action(parsing: line[line.index(after: space)...]) else { throw fail() }
                actions[step, default: []].append(action)
            } else if line.first == "m" {
                guard let space = line.firstIndex(of: " "),
                      let n = Int(line[line.index(after: line.startIndex)..<space]),
                      let fate = Fate(parsing: line[line.index(after: space)...]) else { throw fail() }
                fates[n] = fate
            } else {
                throw fail()
            }
        }
        guard let seed, let steps else { throw ScheduleParseError(line: 0, text: "missing seed or steps line") }
        self.init(seed: seed, steps: steps, bug: bug)
        self.stopAfter = stopAfter
        self.strictLease = strictLease
        self.actions = actions
        self.fates = fates
    }
}

/// A schedule line that could not be read.
public struct ScheduleParseError: Error, Sendable, CustomStringConvertible {
    public var line: Int
    public var text: String
    public var description: String { line == 0 ? text : "line \(line): cannot read \"\(text)\"" }
}

/// A bug the simulator can inject into the application's persistence, to show that the checks
/// catch what such a bug does to raft.
public enum InjectedBug: String, Sendable, Hashable, CaseIterable {
    /// The fsync of the hard state lied about the vote: a node that restarts has forgotten whom
    /// it voted for in its current term, and may vote again.
    case forgetVote = "forget-vote"
}
