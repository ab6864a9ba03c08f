/// Whether faults are being injected.
public enum Phase: Sendable, Hashable {
    /// Faults and the full workload.
    case chaos
    /// No faults: every member up, the network whole and reliable, no membership changes or
    /// leadership transfers. The liveness checks run here.
    case calm
}

/// When a run is calm: at the end, and for some seeds in the middle too.
///
/// A run too short to hold a calm period of `Scenario.calmLength` twice over has none, and so no
/// liveness check: the safety checks still run at every step.
public struct Timeline: Sendable {
    public let steps: Int
    /// The first step of each calm period, in order. Each lasts `calmLength` steps.
    public let calmStarts: [Int]
    public let calmLength: Int

    public init(scenario: Scenario, steps: Int) {
        self.steps = steps
        calmLength = scenario.calmLength
        var starts: [Int] = []
        if steps >= 2 * calmLength {
            if scenario.midRunCalm && steps >= 5 * calmLength {
                var r = SimRandom(seed: scenario.seed, stream: 2)
                starts.append(r.int(calmLength...(steps - 3 * calmLength)))
            }
            starts.append(steps - calmLength)
        }
        calmStarts = starts
    }

    /// The first step of the calm period holding `step`, or nil in chaos.
    public func calmStart(containing step: Int) -> Int? {
        for start in calmStarts where step >= start && step < start + calmLength { return start }
        return nil
    }

    public func phase(at step: Int) -> Phase { calmStart(containing: step) == nil ? .chaos : .calm }
}
