/// Shortens the schedule of a failing run while it still fails the same way: the report then
/// shows a handful of actions instead of thousands.
///
/// It replays candidates (see `Simulator(replaying:)`): first it cuts the run after the violation,
/// then tries giving every message the default fate, then removes actions, then message fates,
/// each by delta debugging (drop a chunk; keep the cut if the violation remains; halve the chunks
/// when none can go). A removed action or fate changes what follows, which is fine: the result
/// only has to fail in the same way, and replays deterministically. `budget` bounds the replays.
public final class Shrinker {
    public let kind: Violation.Kind
    public let budget: Int
    public private(set) var replays = 0

    public init(kind: Violation.Kind, budget: Int = 300) {
        self.kind = kind
        self.budget = budget
    }

    /// The shortest failing schedule found, and the outcome of replaying it; nil when the
    /// schedule does not fail in the expected way to begin with.
    public func shrink(_ original: Schedule, violationStep: Int) -> (schedule: Schedule, outcome: Outcome)? {
        var best = original
        best.stopAfter = min(best.stopAfter ?? violationStep, violationStep)
        guard var outcome = test(best) else { return nil }
        tighten(&best, outcome)

        var noFates = best
        noFates.fates = [:]
        if let o = test(noFates) {
            best = noFates
            outcome = o
            tighten(&best, o)
        }

        let base = best
        let actions = ddmin(base.orderedActions) { kept in
            var candidate = base
            candidate.actions = Shrinker.group(kept)
            return candidate
        }
        if let found = actions {
            best = found.schedule
            outcome = found.outcome
            tighten(&best, outcome)
        }

        let base2 = best
        let fates = ddmin(base2.fates.keys.sorted().map { ($0, base2.fates[$0] ?? .default) }) { kept in
            var candidate = base2
            candidate.fates = Dictionary(uniqueKeysWithValues: kept.map { ($0.0, $0.1) })
            return candidate
        }
        if let found = fates {
            best = found.schedule
            outcome = found.outcome
            tighten(&best, outcome)
        }
        return (best, outcome)
    }

    /// Replays `schedule`; the outcome if it fails in the same way.
    private func test(_ schedule: Schedule) -> Outcome? {
        replays += 1
        let o = Simulator(replaying: schedule).run()
        return o.violation?.kind == kind ? o : nil
    }

    /// Ends the schedule right after its violation.
    private func tighten(_ schedule: inout Schedule, _ outcome: Outcome) {
        if let v = outcome.violation { schedule.stopAfter = min(schedule.stopAfter ?? v.step, v.step) }
    }

    /// Delta debugging over `start`: removes chunks while the schedule built from what is left
    /// keeps failing. Returns the last failing schedule, nil if nothing could be removed.
    private func ddmin<T>(_ start: [T], _ build: ([T]) -> Schedule) -> (schedule: Schedule, outcome: Outcome)? {
        var items = start
        var last: (schedule: Schedule, outcome: Outcome)?
        var parts = 2
        while !items.isEmpty && replays < budget {
            let chunk = (items.count + parts - 1) / parts
            var removed = false
            var from = 0
            while from < items.count && replays < budget {
                let to = min(items.count, from + chunk)
                let candidate = Array(items[..<from]) + Array(items[to...])
                let schedule = build(candidate)
                if let o = test(schedule) {
                    items = candidate
                    last = (schedule, o)
                    removed = true
                } else {
                    from = to
                }
            }
            if removed {
                parts = max(2, parts - 1)
            } else if chunk == 1 {
                break
            } else {
                parts = min(items.count, parts * 2)
            }
        }
        return last
    }

    static func group(_ items: [(step: Int, action: Action)]) -> [Int: [Action]] {
        var out: [Int: [Action]] = [:]
        for (step, action) in items { out[step, default: []].append(action) }
        return out
    }
}
