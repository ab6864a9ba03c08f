import Testing
@testable import Raft

/// A random valid membership: 1-5 voters, some learners, possibly joint with some voters removed
/// (some of them staged to become learners).
private func randomConfState(_ rng: inout SeededRandomNumberGenerator) -> ConfState {
    let voterCount = Int.random(in: 1...5, using: &rng)
    let learnerCount = Int.random(in: 0...4, using: &rng)
    let removedCount = Int.random(in: 0...2, using: &rng)
    var ids = Array(UInt64(1)...UInt64(2 * (voterCount + learnerCount + removedCount))).shuffled(using: &rng)
    var cs = ConfState()
    cs.voters = Array(ids.prefix(voterCount))
    ids.removeFirst(voterCount)
    cs.learners = Array(ids.prefix(learnerCount))
    ids.removeFirst(learnerCount)
    let retained = Int.random(in: 0...voterCount, using: &rng)
    if retained > 0 || removedCount > 0 {
        cs.votersOutgoing = Array(cs.voters.prefix(retained)) + ids.prefix(removedCount)
    }
    if removedCount > 0 {
        cs.learnersNext = Array(ids.prefix(Int.random(in: 0...removedCount, using: &rng)))
    }
    cs.autoLeave = !cs.votersOutgoing.isEmpty && Bool.random(using: &rng)
    return cs
}

private func sortedConfState(_ cs: ConfState) -> ConfState {
    ConfState(
        voters: cs.voters.sorted(), learners: cs.learners.sorted(), votersOutgoing: cs.votersOutgoing.sorted(),
        learnersNext: cs.learnersNext.sorted(), autoLeave: cs.autoLeave)
}

/// Restores `cs` into an empty tracker and checks that the tracker then describes `cs`.
private func checkRestore(_ cs: ConfState, _ comment: Comment) throws {
    let changer = Changer(tracker: ProgressTracker(maxInflight: 20, maxBytes: 0), lastIndex: 10)
    var restored = changer.tracker
    (restored.config, restored.progress) = try changer.restore(cs)
    #expect(restored.confState() == sortedConfState(cs), comment)
    #expect(restored.confState().isEquivalent(to: cs), comment)
    let members = Set(cs.voters + cs.votersOutgoing + cs.learners)
    #expect(Set(restored.progress.keys) == members, comment)
    for (id, pr) in restored.progress {
        #expect(pr.isLearner == cs.learners.contains(id), comment)
        #expect(pr.next == 10 && pr.match == 0, comment)
    }
}

@Suite struct RestoreTests {
    @Test func examples() throws {
        try checkRestore(ConfState(), "empty")
        try checkRestore(ConfState(voters: [1, 2, 3]), "voters")
        try checkRestore(ConfState(voters: [1, 2, 3], learners: [4, 5, 6]), "learners")
        try checkRestore(
            ConfState(voters: [1, 2, 3], learners: [5], votersOutgoing: [1, 2, 4, 6], learnersNext: [4]), "joint")
        try checkRestore(ConfState(voters: [3, 1], votersOutgoing: [2], autoLeave: true), "joint, autoleave")
    }

    @Test func randomConfStatesRoundTrip() throws {
        var rng = SeededRandomNumberGenerator(seed: 0x7e57)
        for round in 0..<1000 {
            let cs = randomConfState(&rng)
            try checkRestore(cs, "round \(round): \(cs)")
        }
    }

    /// etcd: TestRestore (confchange/restore_test.go).
    @Test func restoringWhatChangesProducedGivesTheSameConfig() throws {
        var rng = SeededRandomNumberGenerator(seed: 0xabc)
        for round in 0..<300 {
            var changer = Changer(tracker: ProgressTracker(maxInflight: 20, maxBytes: 0), lastIndex: 10)
            (changer.tracker.config, changer.tracker.progress) = try changer.simple([ConfChangeSingle(type: .confChangeAddNode, nodeID: 1)])
            let ccs = (0..<Int.random(in: 1...8, using: &rng)).map { _ in
                ConfChangeSingle(
                    type: [ConfChangeType.confChangeAddNode, .confChangeAddLearnerNode, .confChangeRemoveNode]
                        .randomElement(using: &rng) ?? .confChangeAddNode,
                    nodeID: UInt64.random(in: 2...8, using: &rng))
            }
            (changer.tracker.config, changer.tracker.progress) = try changer.enterJoint(
                autoLeave: Bool.random(using: &rng), ccs)
            let empty = Changer(tracker: ProgressTracker(maxInflight: 20, maxBytes: 0), lastIndex: 10)
            let (config, progress) = try empty.restore(changer.tracker.confState())
            #expect(config == changer.tracker.config, "round \(round): \(ccs.compactDescription)")
            #expect(progress.mapValues(\.isLearner) == changer.tracker.progress.mapValues(\.isLearner))
        }
    }

    @Test func invalidConfStatesAreRefused() {
        let changer = Changer(tracker: ProgressTracker(maxInflight: 20, maxBytes: 0), lastIndex: 10)
        // Learners only: the first change already leaves the configuration without voters.
        #expect(throws: ConfChangeError.removedAllVoters) { try changer.restore(ConfState(learners: [1])) }
        // Outgoing voters but no incoming ones.
        #expect(throws: ConfChangeError.removedAllVoters) { try changer.restore(ConfState(votersOutgoing: [1])) }
    }
}
