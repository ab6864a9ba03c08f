import Raft
import Testing
@testable import RaftSimulation

/// The checks must catch a real bug. The injected one is a lying fsync: a node that restarts has
/// forgotten whom it voted for in its current term (the vote never reached the disk), so it can
/// vote twice in one term and two candidates can both win it.
@Suite struct LyingFsyncTests {
    @Test func forgottenVoteShowsUpAsTwoLeadersInOneTerm() throws {
        // Elections with crashes in the middle happen from the first steps; 60 steps per seed is
        // enough to find one that goes wrong.
        let steps = 60
        var found: Outcome?
        for seed in UInt64(1)...400 {
            let outcome = Simulator(seed: seed, steps: steps, bug: .forgetVote).run()
            if outcome.violation?.kind == .twoLeadersInTerm {
                found = outcome
                break
            }
        }
        let outcome = try #require(found, """
            no seed in 1...400 broke with a lying fsync; if the generator changed, find one with: \
            raft-sim --bug forget-vote --seeds 1-5000 --steps 60 --stop-after 1
            """)
        let violation = try #require(outcome.violation)

        // The report names the seed and gives a shortened trace that reproduces the violation.
        let report = try #require(ViolationReport(outcome, bug: .forgetVote, shrinkBudget: 300, eventLines: 30))
        print(report.text)
        #expect(report.text.contains("VIOLATION seed \(outcome.seed)"))
        #expect(report.text.contains("two leaders in one term"))
        let short = try #require(report.shortened)
        #expect(short.actionCount <= 20)
        #expect(Simulator(replaying: short).run().violation?.kind == .twoLeadersInTerm)

        // Without the bug, the same seed is clean: the violation is the bug's doing.
        let honest = Simulator(seed: outcome.seed, steps: steps).run()
        #expect(honest.violation == nil)
        #expect(honest.stepsRun == steps)
        #expect(violation.step < steps)
    }
}
