import Raft

/// The checks of chapter 8, membership change and joint consensus.
enum Ch08Checks {
    static let exercises = [jointVote, simpleChange]

    // MARK: - 8.1 The joint vote result

    static let jointVote = Exercise(
        ExerciseID(8, 1), "the joint vote result",
        summary: "Elections in a joint configuration: both the incoming and the outgoing majority must agree.",
        symbol: "jointVoteResult(incoming:outgoing:votes:)",
        hint: """
            Compute each half's result on its own: in a half, yes votes reaching a majority win, \
            yes votes plus silent voters unable to reach it lose, anything else is pending — and \
            an empty half always wins, so that outside a change only the incoming half matters. \
            Then combine: equal results stand; otherwise a loss in either half loses, and any \
            other mix is still pending.
            """,
        subject: { $0.ch08 },
        checks: [
            Check("outside a change, the incoming majority decides") { ch, expect in
                expect.equal(ch.jointVoteResult(incoming: [1, 2, 3], outgoing: [], votes: [1: true, 2: true]), .voteWon,
                             "jointVoteResult(incoming: [1, 2, 3], outgoing: [], votes: [1: true, 2: true])")
                expect.equal(ch.jointVoteResult(incoming: [1, 2, 3], outgoing: [], votes: [1: false, 2: false]), .voteLost,
                             "jointVoteResult(incoming: [1, 2, 3], outgoing: [], votes: [1: false, 2: false])")
            },
            Check("a win needs both halves") { ch, expect in
                expect.equal(ch.jointVoteResult(incoming: [1, 2, 3], outgoing: [1, 4, 5], votes: [1: true, 2: true]), .votePending,
                             "jointVoteResult(incoming: [1, 2, 3], outgoing: [1, 4, 5], votes: [1: true, 2: true])")
                expect.equal(ch.jointVoteResult(incoming: [1, 2, 3], outgoing: [1, 4, 5], votes: [1: true, 2: true, 4: true]),
                             .voteWon,
                             "jointVoteResult(incoming: [1, 2, 3], outgoing: [1, 4, 5], votes: [1: true, 2: true, 4: true])")
            },
            Check("a loss in either half loses") { ch, expect in
                expect.equal(ch.jointVoteResult(incoming: [1, 2, 3], outgoing: [1, 4, 5], votes: [4: false, 5: false]), .voteLost,
                             "jointVoteResult(incoming: [1, 2, 3], outgoing: [1, 4, 5], votes: [4: false, 5: false])")
                let votes: [UInt64: Bool] = [1: true, 2: true, 3: true, 4: false, 5: false]
                expect.equal(ch.jointVoteResult(incoming: [1, 2, 3], outgoing: [1, 4, 5], votes: votes), .voteLost,
                             "jointVoteResult(incoming: [1, 2, 3], outgoing: [1, 4, 5], votes: [1: true, 2: true, 3: true, 4: false, 5: false])")
            },
            Check("a voter of both halves counts in each") { ch, expect in
                expect.equal(ch.jointVoteResult(incoming: [1, 2, 3], outgoing: [1, 2, 4], votes: [1: true, 2: true]), .voteWon,
                             "jointVoteResult(incoming: [1, 2, 3], outgoing: [1, 2, 4], votes: [1: true, 2: true])")
            },
            .agreesWithReference(
                "agrees with JointConfig.voteResult on 300 random elections",
                reference: Ch08Reference(),
                inputs: jointCases,
                describe: { "jointVoteResult(incoming: \($0.incoming), outgoing: \($0.outgoing), votes: \(votesLiteral($0.votes)))" },
                { ch, c in ch.jointVoteResult(incoming: c.incoming, outgoing: c.outgoing, votes: c.votes) }),
        ])

    struct JointCase: Sendable {
        let incoming: [UInt64]
        let outgoing: [UInt64]
        let votes: [UInt64: Bool]
    }

    static let jointCases: [JointCase] = SeededRandomNumberGenerator.cases(300, seed: 81) { rng in
        let incoming = (UInt64(1)...6).filter { _ in Bool.random(using: &rng) }
        let outgoing = Bool.random(using: &rng) ? [] : (UInt64(1)...6).filter { _ in Bool.random(using: &rng) }
        var votes: [UInt64: Bool] = [:]
        for id in UInt64(1)...7 where Bool.random(using: &rng) { votes[id] = Bool.random(using: &rng) }
        return JointCase(incoming: incoming.isEmpty ? [1] : incoming, outgoing: outgoing, votes: votes)
    }

    /// Votes as a Swift dictionary literal with sorted keys.
    static func votesLiteral(_ votes: [UInt64: Bool]) -> String {
        votes.isEmpty ? "[:]" : "[" + votes.keys.sorted().map { "\($0): \(votes[$0] ?? false)" }.joined(separator: ", ") + "]"
    }

    // MARK: - 8.2 Validating a simple change

    static let simpleChange = Exercise(
        ExerciseID(8, 2), "validating a simple change",
        summary: "Apply a change without joint consensus, refusing it when more than one voter changes or no voter is left.",
        symbol: "simpleChange(voters:learners:changes:)",
        hint: """
            Apply the changes one by one to copies of the voter and learner sets: add makes a \
            voter (a learner is promoted), addLearner makes a learner (a voter is demoted), \
            remove takes the node out of both, update changes nothing. If no voter is left, \
            refuse with .removedAllVoters. Then count the voters in exactly one of the old and \
            new voter sets: more than one means two majorities that need not overlap, which only \
            a joint configuration makes safe — refuse with .moreThanOneVoterChanged.
            """,
        subject: { $0.ch08 },
        checks: [
            Check("adding one voter is a simple change") { ch, expect in
                expect.equal(ch.simpleChange(voters: [1, 2, 3], learners: [], changes: [.add(4)]),
                             .applied(voters: [1, 2, 3, 4], learners: []),
                             "simpleChange(voters: [1, 2, 3], learners: [], changes: [.add(4)])")
            },
            Check("promoting a learner or demoting a voter changes one voter") { ch, expect in
                expect.equal(ch.simpleChange(voters: [1, 2, 3], learners: [4], changes: [.add(4)]),
                             .applied(voters: [1, 2, 3, 4], learners: []),
                             "simpleChange(voters: [1, 2, 3], learners: [4], changes: [.add(4)])")
                expect.equal(ch.simpleChange(voters: [1, 2, 3], learners: [], changes: [.addLearner(3)]),
                             .applied(voters: [1, 2], learners: [3]),
                             "simpleChange(voters: [1, 2, 3], learners: [], changes: [.addLearner(3)])")
            },
            Check("changing two voters needs joint consensus") { ch, expect in
                expect.equal(ch.simpleChange(voters: [1, 2, 3], learners: [], changes: [.add(4), .add(5)]),
                             .refused(.moreThanOneVoterChanged),
                             "simpleChange(voters: [1, 2, 3], learners: [], changes: [.add(4), .add(5)])")
                expect.equal(ch.simpleChange(voters: [1, 2, 3], learners: [], changes: [.add(4), .remove(1)]),
                             .refused(.moreThanOneVoterChanged),
                             "simpleChange(voters: [1, 2, 3], learners: [], changes: [.add(4), .remove(1)])")
            },
            Check("only the voters' net change counts") { ch, expect in
                expect.equal(ch.simpleChange(voters: [1, 2, 3], learners: [], changes: [.add(4), .remove(4)]),
                             .applied(voters: [1, 2, 3], learners: []),
                             "simpleChange(voters: [1, 2, 3], learners: [], changes: [.add(4), .remove(4)])")
                expect.equal(ch.simpleChange(voters: [1, 2, 3], learners: [], changes: [.add(4), .addLearner(5)]),
                             .applied(voters: [1, 2, 3, 4], learners: [5]),
                             "simpleChange(voters: [1, 2, 3], learners: [], changes: [.add(4), .addLearner(5)])")
            },
            Check("removing every voter is refused") { ch, expect in
                expect.equal(ch.simpleChange(voters: [1], learners: [], changes: [.remove(1)]),
                             .refused(.removedAllVoters),
                             "simpleChange(voters: [1], learners: [], changes: [.remove(1)])")
                expect.equal(ch.simpleChange(voters: [1], learners: [2], changes: [.remove(1)]),
                             .refused(.removedAllVoters),
                             "simpleChange(voters: [1], learners: [2], changes: [.remove(1)])")
                expect.equal(ch.simpleChange(voters: [1], learners: [], changes: [.remove(1), .add(2)]),
                             .refused(.moreThanOneVoterChanged),
                             "simpleChange(voters: [1], learners: [], changes: [.remove(1), .add(2)])")
            },
            Check("removing a stranger or updating a node changes nothing") { ch, expect in
                expect.equal(ch.simpleChange(voters: [1, 2, 3], learners: [], changes: [.remove(9)]),
                             .applied(voters: [1, 2, 3], learners: []),
                             "simpleChange(voters: [1, 2, 3], learners: [], changes: [.remove(9)])")
                expect.equal(ch.simpleChange(voters: [1, 2, 3], learners: [], changes: [.update(2)]),
                             .applied(voters: [1, 2, 3], learners: []),
                             "simpleChange(voters: [1, 2, 3], learners: [], changes: [.update(2)])")
                expect.equal(ch.simpleChange(voters: [1, 2, 3], learners: [], changes: [.remove(3)]),
                             .applied(voters: [1, 2], learners: []),
                             "simpleChange(voters: [1, 2, 3], learners: [], changes: [.remove(3)])")
            },
            .agreesWithReference(
                "agrees with Changer.simple on 300 random changes",
                reference: Ch08Reference(),
                inputs: changeCases,
                describe: { "simpleChange(voters: \($0.voters), learners: \($0.learners), changes: \(changeList($0.changes)))" },
                { ch, c in ch.simpleChange(voters: c.voters, learners: c.learners, changes: c.changes) }),
        ])

    struct ChangeCase: Sendable {
        let voters: [UInt64]
        let learners: [UInt64]
        let changes: [ConfChangeSingle]
    }

    static let changeCases: [ChangeCase] = SeededRandomNumberGenerator.cases(300, seed: 82) { rng in
        var voters: [UInt64] = []
        var learners: [UInt64] = []
        for id in UInt64(1)...5 {
            switch Int.random(in: 0..<3, using: &rng) {
            case 0: voters.append(id)
            case 1: learners.append(id)
            default: break
            }
        }
        if voters.isEmpty {
            voters = [1]
            learners.removeAll { $0 == 1 }
        }
        let kinds: [(UInt64) -> ConfChangeSingle] = [ConfChangeSingle.add, ConfChangeSingle.remove, ConfChangeSingle.addLearner, ConfChangeSingle.update]
        let changes = (0..<Int.random(in: 1...3, using: &rng)).map { _ in
            (kinds.randomElement(using: &rng) ?? ConfChangeSingle.add)(UInt64.random(in: 1...6, using: &rng))
        }
        return ChangeCase(voters: voters, learners: learners, changes: changes)
    }
}
