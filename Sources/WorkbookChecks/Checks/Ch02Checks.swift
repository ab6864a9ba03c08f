import Raft

/// The checks of chapter 2, Raft roles.
enum Ch02Checks {
    static let exercises = [tallying, granting]

    // MARK: - 2.1 Tallying votes

    static let tallying = Exercise(
        ExerciseID(2, 1), "tallying votes",
        summary: "Count a candidate's votes like ProgressTracker.tallyVotes: granted, rejected, and the verdict.",
        symbol: "tally(voters:learners:votes:)",
        hint: """
            Keep only the first answer of each node (a duplicate response must not count twice), \
            and only answers from voters: learners and strangers do not vote. With a quorum of \
            len(voters)/2 + 1, the election is won once the yes votes reach the quorum, lost once \
            the yes votes plus the voters still silent can no longer reach it, and pending \
            otherwise.
            """,
        subject: { $0.ch02 },
        checks: [
            Check("a majority of granted votes wins") { ch, expect in
                expect.equal(ch.tally(voters: [1, 2, 3], learners: [], votes: [.yes(1), .yes(2)]),
                             VoteTally(granted: 2, rejected: 0, result: .voteWon),
                             "tally(voters: [1, 2, 3], learners: [], votes: [.yes(1), .yes(2)])")
                expect.equal(ch.tally(voters: [1, 2, 3, 4, 5], learners: [], votes: [.yes(1), .yes(2)]),
                             VoteTally(granted: 2, rejected: 0, result: .votePending),
                             "tally(voters: [1, 2, 3, 4, 5], learners: [], votes: [.yes(1), .yes(2)])")
                expect.equal(ch.tally(voters: [1, 2, 3, 4, 5], learners: [], votes: [.yes(1), .yes(2), .yes(3)]),
                             VoteTally(granted: 3, rejected: 0, result: .voteWon),
                             "tally(voters: [1, 2, 3, 4, 5], learners: [], votes: [.yes(1), .yes(2), .yes(3)])")
            },
            Check("the election is lost once a majority can no longer say yes") { ch, expect in
                expect.equal(ch.tally(voters: [1, 2, 3], learners: [], votes: [.yes(1), .no(2), .no(3)]),
                             VoteTally(granted: 1, rejected: 2, result: .voteLost),
                             "tally(voters: [1, 2, 3], learners: [], votes: [.yes(1), .no(2), .no(3)])")
                expect.equal(ch.tally(voters: [1, 2, 3], learners: [], votes: [.yes(1), .no(2)]),
                             VoteTally(granted: 1, rejected: 1, result: .votePending),
                             "tally(voters: [1, 2, 3], learners: [], votes: [.yes(1), .no(2)])")
                expect.equal(ch.tally(voters: [1, 2, 3, 4], learners: [], votes: [.yes(1), .no(2), .no(3)]),
                             VoteTally(granted: 1, rejected: 2, result: .voteLost),
                             "tally(voters: [1, 2, 3, 4], learners: [], votes: [.yes(1), .no(2), .no(3)])")
            },
            Check("only the first answer of each voter counts") { ch, expect in
                expect.equal(ch.tally(voters: [1, 2, 3], learners: [], votes: [.yes(1), .no(2), .yes(2)]),
                             VoteTally(granted: 1, rejected: 1, result: .votePending),
                             "tally(voters: [1, 2, 3], learners: [], votes: [.yes(1), .no(2), .yes(2)])")
                expect.equal(ch.tally(voters: [1, 2, 3], learners: [], votes: [.yes(1), .yes(2), .no(2)]),
                             VoteTally(granted: 2, rejected: 0, result: .voteWon),
                             "tally(voters: [1, 2, 3], learners: [], votes: [.yes(1), .yes(2), .no(2)])")
            },
            Check("learners and strangers do not count") { ch, expect in
                expect.equal(ch.tally(voters: [1, 2, 3], learners: [4], votes: [.yes(1), .yes(4), .yes(5)]),
                             VoteTally(granted: 1, rejected: 0, result: .votePending),
                             "tally(voters: [1, 2, 3], learners: [4], votes: [.yes(1), .yes(4), .yes(5)])")
                expect.equal(ch.tally(voters: [1, 2, 3], learners: [4], votes: [.yes(1), .no(4), .yes(2)]),
                             VoteTally(granted: 2, rejected: 0, result: .voteWon),
                             "tally(voters: [1, 2, 3], learners: [4], votes: [.yes(1), .no(4), .yes(2)])")
            },
            Check("a single voter decides alone") { ch, expect in
                expect.equal(ch.tally(voters: [1], learners: [], votes: [.yes(1)]),
                             VoteTally(granted: 1, rejected: 0, result: .voteWon),
                             "tally(voters: [1], learners: [], votes: [.yes(1)])")
                expect.equal(ch.tally(voters: [1], learners: [], votes: [.no(1)]),
                             VoteTally(granted: 0, rejected: 1, result: .voteLost),
                             "tally(voters: [1], learners: [], votes: [.no(1)])")
            },
            .agreesWithReference(
                "agrees with ProgressTracker.tallyVotes on 300 random elections",
                reference: Ch02Reference(),
                inputs: tallyCases,
                describe: { "tally(voters: \($0.voters), learners: \($0.learners), votes: \($0.votes))" },
                { ch, c in ch.tally(voters: c.voters, learners: c.learners, votes: c.votes) }),
        ])

    struct TallyCase: Sendable {
        let voters: [UInt64]
        let learners: [UInt64]
        let votes: [Vote]
    }

    /// Random configurations over nodes 1...7 and random answers from nodes 1...9.
    static let tallyCases: [TallyCase] = SeededRandomNumberGenerator.cases(300, seed: 21) { rng in
        var voters: [UInt64] = []
        var learners: [UInt64] = []
        for id in UInt64(1)...7 {
            switch Int.random(in: 0..<3, using: &rng) {
            case 0: voters.append(id)
            case 1: learners.append(id)
            default: break
            }
        }
        if voters.isEmpty { voters = [UInt64.random(in: 1...7, using: &rng)]; learners.removeAll { $0 == voters[0] } }
        let votes = (0..<Int.random(in: 0...8, using: &rng)).map { _ in
            Vote(from: UInt64.random(in: 1...9, using: &rng), granted: Bool.random(using: &rng))
        }
        return TallyCase(voters: voters, learners: learners, votes: votes)
    }

    // MARK: - 2.2 The vote-granting rule

    static let granting = Exercise(
        ExerciseID(2, 2), "the vote-granting rule",
        summary: "When a follower grants a vote or pre-vote: canVote and the up-to-date log check.",
        symbol: "grantsVote(voter:request:)",
        hint: """
            Settle the term first: a vote request from an older term is refused; a vote request \
            from a newer term moves the follower to that term, forgetting its vote and leader (a \
            pre-vote moves nobody). Then the follower can vote if it already voted for this \
            candidate, or has voted for nobody and knows no leader, or the request is a pre-vote \
            for a later term. Finally the candidate's log must be at least as up to date: a \
            higher last term wins; with equal last terms, the last index must be at least ours.
            """,
        subject: { $0.ch02 },
        checks: [
            Check("a follower that has not voted grants an up-to-date candidate") { ch, expect in
                let voter = VoterState(term: 2, lastLog: EntryID(term: 2, index: 5))
                let same = VoteRequest(.vote, from: 2, term: 2, lastLog: EntryID(term: 2, index: 5))
                let later = VoteRequest(.vote, from: 2, term: 3, lastLog: EntryID(term: 2, index: 6))
                expect.equal(ch.grantsVote(voter: voter, request: same), true, "grantsVote(voter: \(voter), request: \(same))")
                expect.equal(ch.grantsVote(voter: voter, request: later), true, "grantsVote(voter: \(voter), request: \(later))")
            },
            Check("one vote per term, which can be repeated") { ch, expect in
                let voter = VoterState(term: 3, vote: 2, lastLog: EntryID(term: 2, index: 5))
                let other = VoteRequest(.vote, from: 3, term: 3, lastLog: EntryID(term: 2, index: 5))
                let again = VoteRequest(.vote, from: 2, term: 3, lastLog: EntryID(term: 2, index: 5))
                expect.equal(ch.grantsVote(voter: voter, request: other), false, "grantsVote(voter: \(voter), request: \(other))")
                expect.equal(ch.grantsVote(voter: voter, request: again), true, "grantsVote(voter: \(voter), request: \(again))")
            },
            Check("a vote request for a higher term clears the old vote") { ch, expect in
                let voter = VoterState(term: 3, vote: 2, lastLog: EntryID(term: 2, index: 5))
                let newer = VoteRequest(.vote, from: 3, term: 4, lastLog: EntryID(term: 2, index: 5))
                expect.equal(ch.grantsVote(voter: voter, request: newer), true, "grantsVote(voter: \(voter), request: \(newer))")
            },
            Check("the candidate's log must be at least as up to date (Raft §5.4.1)") { ch, expect in
                let voter = VoterState(term: 5, lastLog: EntryID(term: 4, index: 10))
                let rows: [(EntryID, Bool)] = [
                    (EntryID(term: 5, index: 3), true),    // a later last term wins, even shorter
                    (EntryID(term: 4, index: 11), true),   // same last term, longer
                    (EntryID(term: 4, index: 10), true),   // identical logs
                    (EntryID(term: 4, index: 9), false),   // same last term, shorter
                    (EntryID(term: 3, index: 20), false),  // an older last term loses, even longer
                ]
                for (lastLog, granted) in rows {
                    let request = VoteRequest(.vote, from: 2, term: 6, lastLog: lastLog)
                    expect.equal(ch.grantsVote(voter: voter, request: request), granted,
                                 "grantsVote(voter: \(voter), request: \(request))")
                }
            },
            Check("a known leader keeps a follower from voting in its term") { ch, expect in
                let voter = VoterState(term: 3, lead: 2, lastLog: EntryID(term: 3, index: 5))
                let sameTerm = VoteRequest(.vote, from: 3, term: 3, lastLog: EntryID(term: 3, index: 5))
                let nextTerm = VoteRequest(.vote, from: 3, term: 4, lastLog: EntryID(term: 3, index: 5))
                expect.equal(ch.grantsVote(voter: voter, request: sameTerm), false, "grantsVote(voter: \(voter), request: \(sameTerm))")
                expect.equal(ch.grantsVote(voter: voter, request: nextTerm), true, "grantsVote(voter: \(voter), request: \(nextTerm))")
            },
            Check("a pre-vote for a later term is judged on the log alone") { ch, expect in
                let voter = VoterState(term: 5, vote: 2, lead: 2, lastLog: EntryID(term: 5, index: 8))
                let upToDate = VoteRequest(.preVote, from: 3, term: 6, lastLog: EntryID(term: 5, index: 8))
                let behind = VoteRequest(.preVote, from: 3, term: 6, lastLog: EntryID(term: 5, index: 7))
                let sameTerm = VoteRequest(.preVote, from: 3, term: 5, lastLog: EntryID(term: 5, index: 8))
                expect.equal(ch.grantsVote(voter: voter, request: upToDate), true, "grantsVote(voter: \(voter), request: \(upToDate))")
                expect.equal(ch.grantsVote(voter: voter, request: behind), false, "grantsVote(voter: \(voter), request: \(behind))")
                expect.equal(ch.grantsVote(voter: voter, request: sameTerm), false, "grantsVote(voter: \(voter), request: \(sameTerm))")
            },
            Check("requests from an older term are never granted") { ch, expect in
                let voter = VoterState(term: 5, lastLog: EntryID(term: 2, index: 3))
                let oldVote = VoteRequest(.vote, from: 2, term: 4, lastLog: EntryID(term: 4, index: 9))
                let oldPreVote = VoteRequest(.preVote, from: 2, term: 4, lastLog: EntryID(term: 4, index: 9))
                let current = VoteRequest(.vote, from: 2, term: 6, lastLog: EntryID(term: 4, index: 9))
                expect.equal(ch.grantsVote(voter: voter, request: oldVote), false, "grantsVote(voter: \(voter), request: \(oldVote))")
                expect.equal(ch.grantsVote(voter: voter, request: oldPreVote), false, "grantsVote(voter: \(voter), request: \(oldPreVote))")
                expect.equal(ch.grantsVote(voter: voter, request: current), true, "grantsVote(voter: \(voter), request: \(current))")
            },
            .agreesWithReference(
                "agrees with a real follower on 300 random requests",
                reference: Ch02Reference(),
                inputs: grantCases,
                describe: { "grantsVote(voter: \($0.voter), request: \($0.request))" },
                { ch, c in ch.grantsVote(voter: c.voter, request: c.request) }),
        ])

    struct GrantCase: Sendable {
        let voter: VoterState
        let request: VoteRequest
    }

    /// A random log end no later than `term`: `0/0` or some entry of a term up to `term`.
    static func randomLastLog(upTo term: UInt64, _ rng: inout SeededRandomNumberGenerator) -> EntryID {
        let logTerm = UInt64.random(in: 0...term, using: &rng)
        return logTerm == 0 ? EntryID(term: 0, index: 0) : EntryID(term: logTerm, index: UInt64.random(in: 1...6, using: &rng))
    }

    static let grantCases: [GrantCase] = SeededRandomNumberGenerator.cases(300, seed: 22) { rng in
        let term = UInt64.random(in: 1...5, using: &rng)
        let voter = VoterState(
            term: term,
            vote: [PeerID.none, 2, 3].randomElement(using: &rng) ?? PeerID.none,
            lead: [PeerID.none, PeerID.none, 2, 3].randomElement(using: &rng) ?? PeerID.none,
            lastLog: randomLastLog(upTo: term, &rng))
        let requestTerm = UInt64.random(in: max(1, term - 1)...(term + 2), using: &rng)
        let request = VoteRequest(
            Bool.random(using: &rng) ? .vote : .preVote, from: UInt64.random(in: 2...4, using: &rng),
            term: requestTerm, lastLog: randomLastLog(upTo: requestTerm, &rng))
        return GrantCase(voter: voter, request: request)
    }
}
