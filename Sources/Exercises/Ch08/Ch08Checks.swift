import ExerciseSupport
import Raft

// Chapter 8's exercises and their checks. The joint quorum rules (8.1, 8.2) are pure functions:
// the checks compare the learner's answer with the library's on hand-picked configurations, then
// on many random ones. Leaving a joint configuration (8.3) is checked on twin changers: the
// result (configuration and progress map, as etcd prints them, or the error) and the changer's
// tracker, which must be left as it was.

extension Catalog {
    static let ch08 = ChapterExercises(chapter: 8, exercises: [
        Exercise("8.1", "jointCommittedIndex", replaces: "JointConfig.committedIndex (Sources/Raft/Quorum/JointConfig.swift)",
                 file: "JointCommittedIndex.swift", summary: "the index both halves of a joint configuration have committed",
                 checks: Ch08Checks.jointCommittedIndex),
        Exercise("8.2", "jointVoteResult", replaces: "JointConfig.voteResult (Sources/Raft/Quorum/JointConfig.swift)",
                 file: "JointVoteResult.swift", summary: "an election's result when both halves must agree",
                 checks: Ch08Checks.jointVoteResult),
        Exercise("8.3", "leaveJoint", replaces: "Changer.leaveJoint (Sources/Raft/ConfChange/Changer.swift)",
                 file: "LeaveJoint.swift", summary: "from the joint configuration to the new one",
                 checks: Ch08Checks.leaveJoint),
    ])
}

enum Ch08Checks {
    /// The joint configuration `incoming && outgoing`.
    static func joint(_ incoming: [UInt64], _ outgoing: [UInt64]) -> JointConfig {
        JointConfig(incoming: MajorityConfig(incoming), outgoing: MajorityConfig(outgoing))
    }

    /// A random set of ids among 1...6, of `count` members.
    static func ids(_ count: Int, _ rng: inout SeededRandomNumberGenerator) -> [UInt64] {
        Array(Array(UInt64(1)...6).shuffled(using: &rng).prefix(count)).sorted()
    }

    // MARK: 8.1

    static func compareCommit(_ parts: Parts, _ expect: inout Expectations, _ incoming: [UInt64],
                              _ outgoing: [UInt64], acked: [UInt64: UInt64]) throws {
        let yours = try parts.require(\.jointCommittedIndex, "8.1")
        let c = joint(incoming, outgoing)
        let l = MapAckIndexer(acked)
        let shown = acked.keys.sorted().map { "\($0): \(acked[$0] ?? 0)" }.joined(separator: ", ")
        expect.equal(yours(c, l), c.committedIndex(l), "jointCommittedIndex(\(c), acknowledged [\(shown)])")
    }

    static let jointCommittedIndex: [Check] = [
        Check("outside a joint configuration the incoming half's majority decides") { parts, expect in
            try compareCommit(parts, &expect, [1, 2, 3], [], acked: [1: 5, 2: 4, 3: 2])
            try compareCommit(parts, &expect, [1, 2, 3], [], acked: [1: 5])
            try compareCommit(parts, &expect, [1, 2, 3, 4], [], acked: [1: 3, 2: 3, 3: 1, 4: 9])
            try compareCommit(parts, &expect, [1], [], acked: [1: 7])
            try compareCommit(parts, &expect, [], [], acked: [:])
        },
        Check("in a joint configuration an index commits only once both halves have a majority for it") { parts, expect in
            try compareCommit(parts, &expect, [1, 2, 4], [1, 2, 3], acked: [1: 7, 2: 5, 3: 3, 4: 7])
            try compareCommit(parts, &expect, [1, 2, 4], [1, 2, 3], acked: [1: 6, 2: 2, 3: 2, 4: 6])
            try compareCommit(parts, &expect, [1, 2, 4], [1, 2, 3], acked: [1: 6, 2: 6, 3: 1, 4: 1])
            try compareCommit(parts, &expect, [1, 2, 3], [1, 2, 3], acked: [1: 4, 2: 3, 3: 2])
            try compareCommit(parts, &expect, [1, 2, 3], [1], acked: [1: 3, 2: 8, 3: 8])
        },
        Check("each half needs its own majority: a majority of all the voters together is not enough") { parts, expect in
            try compareCommit(parts, &expect, [1, 2], [1, 2, 3], acked: [1: 8, 2: 1, 3: 8])
            try compareCommit(parts, &expect, [4, 5, 6], [1, 2, 3], acked: [1: 5, 2: 0, 3: 0, 4: 5, 5: 5, 6: 5])
            try compareCommit(parts, &expect, [1, 2, 3, 4, 5], [1], acked: [1: 2, 2: 9, 3: 9, 4: 9, 5: 0])
            try compareCommit(parts, &expect, [1, 2, 3, 4], [1, 2, 3, 5], acked: [1: 1, 2: 4, 3: 1, 4: 4, 5: 4])
        },
        Check("any configuration and any acknowledgements: the same as the library") { parts, expect in
            var rng = SeededRandomNumberGenerator(seed: 81)
            for _ in 0..<500 {
                let incoming = ids(Int.random(in: 0...5, using: &rng), &rng)
                let outgoing = Bool.random(using: &rng) ? [] : ids(Int.random(in: 1...5, using: &rng), &rng)
                var acked: [UInt64: UInt64] = [:]
                for id in Set(incoming).union(outgoing) where Int.random(in: 0..<5, using: &rng) > 0 {
                    acked[id] = UInt64.random(in: 0...9, using: &rng)
                }
                try compareCommit(parts, &expect, incoming, outgoing, acked: acked)
                if !expect.failures.isEmpty { return }
            }
        },
    ]

    // MARK: 8.2

    static func compareVote(_ parts: Parts, _ expect: inout Expectations, _ incoming: [UInt64],
                            _ outgoing: [UInt64], votes: [UInt64: Bool]) throws {
        let yours = try parts.require(\.jointVoteResult, "8.2")
        let c = joint(incoming, outgoing)
        let shown = votes.keys.sorted().map { "\($0): \(votes[$0] == true ? "yes" : "no")" }.joined(separator: ", ")
        expect.equal(yours(c, votes), c.voteResult(votes), "jointVoteResult(\(c), votes [\(shown)])")
    }

    static let jointVoteResult: [Check] = [
        Check("outside a joint configuration the incoming half decides") { parts, expect in
            try compareVote(parts, &expect, [1, 2, 3], [], votes: [1: true, 2: true])
            try compareVote(parts, &expect, [1, 2, 3], [], votes: [1: true, 2: false, 3: false])
            try compareVote(parts, &expect, [1, 2, 3], [], votes: [1: true])
            try compareVote(parts, &expect, [], [], votes: [:])
        },
        Check("an election is won only when both halves are won") { parts, expect in
            try compareVote(parts, &expect, [1, 2, 4], [1, 2, 3], votes: [1: true, 4: true])
            try compareVote(parts, &expect, [1, 2, 4], [1, 2, 3], votes: [1: true, 2: true])
            try compareVote(parts, &expect, [1, 2, 4], [1, 2, 3], votes: [1: true, 3: true, 4: true])
            try compareVote(parts, &expect, [4, 5, 6], [1, 2, 3], votes: [1: true, 4: true, 5: true])
        },
        Check("a loss in either half loses the election") { parts, expect in
            try compareVote(parts, &expect, [1, 2, 4], [1, 2, 3], votes: [1: true, 2: false, 3: false, 4: true])
            try compareVote(parts, &expect, [1, 2, 3], [1], votes: [1: false, 2: true, 3: true])
            try compareVote(parts, &expect, [1, 2, 3, 4, 5], [1, 2, 3], votes: [1: false, 2: false, 4: true])
            try compareVote(parts, &expect, [1, 2, 4], [1, 2, 3], votes: [1: false, 2: false, 4: true])
        },
        Check("with neither half lost and one still open, the election is pending") { parts, expect in
            try compareVote(parts, &expect, [1, 2, 4], [1, 2, 3], votes: [1: true])
            try compareVote(parts, &expect, [1, 2, 4], [1, 2, 3], votes: [1: true, 2: false, 4: true])
            try compareVote(parts, &expect, [1, 2, 3], [4, 5, 6], votes: [1: true, 2: true, 4: true, 5: false])
        },
        Check("any configuration and any votes: the same as the library") { parts, expect in
            var rng = SeededRandomNumberGenerator(seed: 82)
            for _ in 0..<500 {
                let incoming = ids(Int.random(in: 0...5, using: &rng), &rng)
                let outgoing = Bool.random(using: &rng) ? [] : ids(Int.random(in: 1...5, using: &rng), &rng)
                var votes: [UInt64: Bool] = [:]
                for id in Set(incoming).union(outgoing) where Int.random(in: 0..<3, using: &rng) > 0 {
                    votes[id] = Bool.random(using: &rng)
                }
                try compareVote(parts, &expect, incoming, outgoing, votes: votes)
                if !expect.failures.isEmpty { return }
            }
        },
    ]

    // MARK: 8.3

    /// A changer whose tracker holds the membership `cs` (rebuilt as raft restores one), each
    /// progress with its own match and next so that a progress kept, lost or mixed up shows.
    static func changer(_ cs: ConfState, lastIndex: UInt64 = 10) -> Changer {
        var changer = Changer(tracker: ProgressTracker(maxInflight: 10, maxBytes: 0), lastIndex: lastIndex)
        do {
            (changer.tracker.config, changer.tracker.progress) = try changer.restore(cs)
        } catch {
            preconditionFailure("fixture changer for \(cs.protoText): \(error)")
        }
        for (id, pr) in changer.tracker.progress {
            pr.match = id * 2
            pr.next = id * 2 + 1
        }
        return changer
    }

    /// What a tracker holds, every progress field included.
    static func describe(_ t: ProgressTracker) -> String {
        var out = "\(t.config)\n"
        t.visit { id, pr in out += "\(id): \(pr) sentCommit=\(pr.sentCommit) recentActive=\(pr.recentActive)\n" }
        return out
    }

    /// A change's outcome as etcd's confchange transcripts print it, or its error.
    static func describe(_ outcome: Result<Changer.Outcome, ConfChangeError>) -> String {
        switch outcome {
        case .success(let (cfg, progress)):
            var out = "\(cfg)\n"
            for id in progress.keys.sorted() {
                if let pr = progress[id] { out += "\(id): \(pr) sentCommit=\(pr.sentCommit)\n" }
            }
            return out
        case .failure(let error):
            return "error: \(error)"
        }
    }

    /// Runs the learner's `leaveJoint` and the library's on twin changers built by `build`, and
    /// compares the outcomes and what is left of each changer's tracker.
    static func compareLeave(_ parts: Parts, _ expect: inout Expectations, _ what: String,
                             _ build: () -> Changer) throws {
        let yours = try parts.require(\.leaveJoint, "8.3")
        let mine = build(), theirs = build()
        let before = describe(theirs.tracker)
        let myOutcome = Result { () throws(ConfChangeError) in try yours(mine) }
        let theirOutcome = Result { () throws(ConfChangeError) in try theirs.leaveJoint() }
        let setting = "leaveJoint() from \(what)"
        expect.same(describe(myOutcome), describe(theirOutcome), setting)
        expect.same(describe(mine.tracker), before, "\(setting): the changer's tracker afterwards")
    }

    static func compareLeave(_ parts: Parts, _ expect: inout Expectations, _ cs: ConfState) throws {
        try compareLeave(parts, &expect, "\(changer(cs).tracker.config)") { changer(cs) }
    }

    static let leaveJoint: [Check] = [
        Check("leaving keeps the incoming voters and the learners, and drops nodes only in the outgoing half") { parts, expect in
            try compareLeave(parts, &expect, ConfState(voters: [1, 2, 4], votersOutgoing: [1, 2, 3]))
            try compareLeave(parts, &expect, ConfState(voters: [4, 5, 6], votersOutgoing: [1, 2, 3]))
            try compareLeave(parts, &expect, ConfState(voters: [1, 2, 3], learners: [5], votersOutgoing: [1, 2, 4]))
            try compareLeave(parts, &expect, ConfState(voters: [1, 2, 3], learners: [4], votersOutgoing: [1, 2]))
        },
        Check("staged demotions become learners, keeping their progress") { parts, expect in
            try compareLeave(parts, &expect, ConfState(voters: [1, 2], votersOutgoing: [1, 2, 3], learnersNext: [3]))
            try compareLeave(parts, &expect, ConfState(voters: [2, 3], learners: [4], votersOutgoing: [1, 2, 3],
                                                       learnersNext: [1]))
            try compareLeave(parts, &expect, ConfState(voters: [3, 4], votersOutgoing: [1, 2, 3], learnersNext: [1, 2]))
        },
        Check("leaving clears autoLeave") { parts, expect in
            try compareLeave(parts, &expect, ConfState(voters: [1, 2, 4], votersOutgoing: [1, 2, 3], autoLeave: true))
            try compareLeave(parts, &expect, ConfState(voters: [1, 2], votersOutgoing: [1, 2, 3], learnersNext: [3],
                                                       autoLeave: true))
        },
        Check("leaving a configuration that is not joint is refused") { parts, expect in
            try compareLeave(parts, &expect, ConfState(voters: [1, 2, 3]))
            try compareLeave(parts, &expect, ConfState(voters: [1], learners: [2]))
            try compareLeave(parts, &expect, "the empty configuration") {
                Changer(tracker: ProgressTracker(maxInflight: 10, maxBytes: 0), lastIndex: 0)
            }
        },
        Check("an inconsistent configuration is refused") { parts, expect in
            try compareLeave(parts, &expect, "(1 2 4)&&(1 2 3) with no progress for 3") {
                var c = changer(ConfState(voters: [1, 2, 4], votersOutgoing: [1, 2, 3]))
                c.tracker.progress[3] = nil
                return c
            }
            try compareLeave(parts, &expect, "(1 2)&&(1 2 3) learners_next=(3) where 3 is already marked a learner") {
                let c = changer(ConfState(voters: [1, 2], votersOutgoing: [1, 2, 3], learnersNext: [3]))
                c.tracker.progress[3]?.isLearner = true
                return c
            }
        },
        Check("any joint configuration: the same as the library") { parts, expect in
            var rng = SeededRandomNumberGenerator(seed: 83)
            var tried = 0
            while tried < 200 {
                let voters = ids(Int.random(in: 1...4, using: &rng), &rng)
                let learners = ids(Int.random(in: 0...2, using: &rng), &rng).filter { !voters.contains($0) }
                let start = ConfState(voters: voters, learners: learners)
                let changes = (0..<Int.random(in: 1...3, using: &rng)).map { _ in
                    ConfChangeSingle(type: [.confChangeAddNode, .confChangeAddLearnerNode, .confChangeRemoveNode]
                                        .randomElement(using: &rng) ?? .confChangeAddNode,
                                     nodeID: UInt64.random(in: 1...6, using: &rng))
                }
                let autoLeave = Bool.random(using: &rng)
                let base = changer(start)
                guard let (cfg, progress) = try? base.enterJoint(autoLeave: autoLeave, changes) else { continue }
                tried += 1
                func build() -> Changer {
                    var c = changer(start)
                    (c.tracker.config, c.tracker.progress) = (cfg, progress.cloned())
                    return c
                }
                try compareLeave(parts, &expect, "\(cfg) (entered from \(base.tracker.config) with "
                                 + "\(Changer.describe(changes)))", build)
                if !expect.failures.isEmpty { return }
            }
        },
    ]
}
