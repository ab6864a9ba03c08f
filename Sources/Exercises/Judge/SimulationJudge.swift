import Raft
import RaftSimulation

/// Runs seeds of the fault simulator with the learner's parts plugged into every node (and the
/// learner's Ready handler, if written, as every node's application loop), checking raft's
/// guarantees after every step.
package struct SimulationJudge {
    package let parts: Parts
    package let steps: Int

    package init(parts: Parts, steps: Int) {
        self.parts = parts
        self.steps = steps
    }

    /// The verdict on one seed: nil when it kept every guarantee, else what broke and the last
    /// events before it.
    package func judge(seed: UInt64) -> (violation: String, lastEvents: [String])? {
        let outcome = Simulator(seed: seed, steps: steps, parts: parts).run()
        guard let violation = outcome.violation else { return nil }
        return ("\(violation)", outcome.traceLines(limit: 25))
    }
}
