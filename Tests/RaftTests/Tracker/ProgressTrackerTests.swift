import Testing
@testable import Raft

/// A tracker holding voters `incoming` (and `outgoing`) plus `learners`, each with the given
/// match (default 0).
private func tracker(
    incoming: [UInt64], outgoing: [UInt64] = [], learners: [UInt64] = [], match: [UInt64: UInt64] = [:]
) -> ProgressTracker {
    var trk = ProgressTracker(maxInflight: 5, maxBytes: 0)
    trk.config.voters = JointConfig(incoming: MajorityConfig(incoming), outgoing: MajorityConfig(outgoing))
    trk.config.learners = Set(learners)
    for id in Set(incoming + outgoing + learners) {
        trk.progress[id] = Progress(
            match: match[id] ?? 0, next: (match[id] ?? 0) + 1, recentActive: true,
            inflights: Inflights(size: 5, maxBytes: 0), isLearner: learners.contains(id))
    }
    return trk
}

@Suite struct ProgressTrackerTests {
    @Test func configDescription() {
        var cfg = ProgressTracker.Config()
        #expect(cfg.description == "voters=()")
        cfg.voters = JointConfig(incoming: [1, 2, 3], outgoing: [1])
        cfg.learners = [4]
        cfg.learnersNext = [5]
        cfg.autoLeave = true
        #expect(cfg.description == "voters=(1 2 3)&&(1) learners=(4) learners_next=(5) autoleave")
        cfg.voters.outgoing = []
        cfg.learnersNext = []
        cfg.autoLeave = false
        cfg.learners = [3, 2]
        #expect(cfg.description == "voters=(1 2 3) learners=(2 3)")
    }

    @Test func newTrackerIsEmpty() {
        let trk = ProgressTracker(maxInflight: 7, maxBytes: 9)
        #expect(trk.maxInflight == 7 && trk.maxInflightBytes == 9)
        #expect(trk.progress.isEmpty && trk.votes.isEmpty)
        #expect(trk.config == ProgressTracker.Config())
        #expect(trk.confState() == ConfState())
        #expect(trk.committed() == UInt64.max)
    }

    @Test func confStateIsSorted() {
        var trk = tracker(incoming: [3, 1, 2], outgoing: [4, 1], learners: [9, 7])
        trk.config.learnersNext = [4]
        trk.config.autoLeave = true
        #expect(trk.confState() == ConfState(
            voters: [1, 2, 3], learners: [7, 9], votersOutgoing: [1, 4], learnersNext: [4], autoLeave: true))
    }

    @Test func singleton() {
        #expect(tracker(incoming: [1]).isSingleton())
        #expect(tracker(incoming: [1], learners: [2]).isSingleton())
        #expect(!tracker(incoming: [1, 2]).isSingleton())
        #expect(!tracker(incoming: [1], outgoing: [2]).isSingleton())
        #expect(!tracker(incoming: []).isSingleton())
    }

    @Test func committedUsesVotersMatch() {
        let trk = tracker(incoming: [1, 2, 3], learners: [4], match: [1: 10, 2: 8, 3: 3, 4: 100])
        #expect(trk.committed() == 8)
        let joint = tracker(incoming: [1, 2, 3], outgoing: [3, 4, 5], match: [1: 10, 2: 8, 3: 3, 4: 2, 5: 1])
        #expect(joint.committed() == 2)
    }

    @Test func visitIsInIdOrder() {
        let trk = tracker(incoming: [9, 3, 12, 1, 5, 7, 2, 8, 4, 11], learners: [6, 10])
        var seen: [UInt64] = []
        trk.visit { id, pr in
            #expect(trk.progress[id] === pr)
            seen.append(id)
        }
        #expect(seen == Array(1...12))
        var none = 0
        ProgressTracker(maxInflight: 1, maxBytes: 0).visit { _, _ in none += 1 }
        #expect(none == 0)
    }

    @Test func visitRethrows() {
        struct Stop: Error {}
        let trk = tracker(incoming: [1, 2, 3])
        var seen: [UInt64] = []
        #expect(throws: Stop.self) {
            try trk.visit { id, _ in
                seen.append(id)
                if id == 2 { throw Stop() }
            }
        }
        #expect(seen == [1, 2])
    }

    @Test func quorumActive() {
        let trk = tracker(incoming: [1, 2, 3], learners: [4])
        #expect(trk.quorumActive())
        trk.progress[2]?.recentActive = false
        #expect(trk.quorumActive())
        trk.progress[3]?.recentActive = false
        // Learners do not count, active or not.
        #expect(!trk.quorumActive())

        let joint = tracker(incoming: [1, 2], outgoing: [3, 4, 5])
        joint.progress[4]?.recentActive = false
        joint.progress[5]?.recentActive = false
        #expect(!joint.quorumActive())
    }

    @Test func nodeLists() {
        let trk = tracker(incoming: [3, 1], outgoing: [1, 4], learners: [9, 2])
        #expect(trk.voterNodes() == [1, 3, 4])
        #expect(trk.learnerNodes() == [2, 9])
        #expect(tracker(incoming: [1]).learnerNodes().isEmpty)
    }

    @Test func votes() {
        var trk = tracker(incoming: [1, 2, 3, 4, 5], learners: [6])
        trk.recordVote(1, true)
        trk.recordVote(1, false)  // only the first vote counts
        trk.recordVote(2, false)
        trk.recordVote(6, true)  // a learner: counted nowhere
        trk.recordVote(9, true)  // not a member
        var tally = trk.tallyVotes()
        #expect(tally.granted == 1 && tally.rejected == 1 && tally.result == .votePending)
        #expect(trk.votes[1] == true)
        trk.recordVote(3, true)
        trk.recordVote(4, true)
        tally = trk.tallyVotes()
        #expect(tally.granted == 3 && tally.rejected == 1 && tally.result == .voteWon)
        trk.resetVotes()
        #expect(trk.votes.isEmpty)
        trk.recordVote(1, false)
        trk.recordVote(2, false)
        trk.recordVote(3, false)
        #expect(trk.tallyVotes().result == .voteLost)
    }
}
