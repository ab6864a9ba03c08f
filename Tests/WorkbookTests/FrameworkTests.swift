import Raft
import Testing
@testable import WorkbookChecks

/// The pieces the checks are made of.
@Suite struct FrameworkTests {
    @Test func exerciseIDsParseOnlyChapterDotNumber() {
        #expect(ExerciseID(parsing: "4.2") == ExerciseID(4, 2))
        #expect(ExerciseID(parsing: "12.1") == ExerciseID(12, 1))
        for bad in ["4", "4.", ".2", "4.x", "4.2.1", "0.1", "4.0", "-1.2", ""] {
            #expect(ExerciseID(parsing: bad) == nil, "\(bad)")
        }
        #expect(ExerciseID(4, 2).description == "4.2")
        #expect(ExerciseID(2, 9) < ExerciseID(10, 1))
    }

    @Test func expectationsReportTheFirstFailureAndCountTheRest() {
        var expect = Expectations()
        expect.equal(1, 1, "one()")
        expect.equal(2, 3, "two()")
        expect.equal(Optional<Int>.none, Optional(4), "three()")
        let outcome = expect.outcome
        #expect(!outcome.passed)
        #expect(outcome.message == "two() returned 2, expected 3\n(and 1 more failing row)")
    }

    @Test func optionalsShowAsTheLearnerWritesThem() {
        #expect(show(Optional(5) as Any) == "5")
        #expect(show(Optional<Int>.none as Any) == "nil")
        #expect(show((RaftError.stepLocalMsg as RaftError?) as Any) == "raft: cannot step raft local message")
    }

    @Test func passingExpectationsCountRows() {
        var expect = Expectations()
        expect.equal("a", "a", "x")
        expect.require(true, "never shown")
        #expect(expect.outcome == .pass("2 rows"))
    }

    @Test func seededCasesAreReproducible() {
        let a = SeededRandomNumberGenerator.cases(5, seed: 7) { UInt64.random(in: 0...1000, using: &$0) }
        let b = SeededRandomNumberGenerator.cases(5, seed: 7) { UInt64.random(in: 0...1000, using: &$0) }
        #expect(a == b)
        #expect(Set(a).count > 1)
    }

    @Test func aProofFindsChecksThatDoNotBite() {
        // The reference standing in for the stubs: every check passes on it, so every check is a
        // finding; a proof of the reference against itself must fail.
        let proof = Proof.run(stubs: .reference, exercises: Array(ExerciseCatalog.all.prefix(2)))
        #expect(!proof.holds)
        #expect(proof.findings.count == proof.checkCount)
        #expect(proof.findings.allSatisfy { $0.problem == "passes on the stub" })
    }

    @Test func theReadyLoopRigRunsTheReferenceLoopCleanly() {
        let report = ReadyLoopRig.run(plan: { Ch03Reference().readyPlan(for: $0) })
        #expect(report.electedLeader)
        #expect(report.violations.isEmpty, "\(report.violations)")
        for id: UInt64 in 1...3 { #expect(report.applied[id] == [ReadyLoopRig.proposal], "node \(id)") }
    }

    @Test func theReadyLoopRigFlagsMessagesSentBeforePersisting() {
        // Send first, then persist: every vote and acknowledgement goes out unbacked.
        let report = ReadyLoopRig.run(plan: { rd in
            var plan = Ch03Reference().readyPlan(for: rd)
            if let send = plan.firstIndex(where: { if case .send = $0 { true } else { false } }) {
                plan.insert(plan.remove(at: send), at: 0)
            }
            return plan
        })
        #expect(report.violations.contains { $0.contains("sent messages before persisting") })
    }
}
