import Raft

/// The checks of chapter 9, leader transfer.
enum Ch09Checks {
    static let exercises = [transfer, lease]

    // MARK: - 9.1 The transfer decision

    static let transfer = Exercise(
        ExerciseID(9, 1), "the transfer decision",
        summary: "What a leader does with a transfer request: MsgTimeoutNow now, catch up first, or ignore.",
        symbol: "transferDecision(_:)",
        hint: """
            Learners cannot lead, and a node the leader does not track cannot be caught up: \
            ignore both. A request for the transfer already in progress is ignored too; a request \
            for another node aborts the old transfer first — and if that other node is the leader \
            itself, there is nothing left to do. Otherwise the transfer starts: a transferee whose \
            log already reaches the leader's last index is told to campaign now; one that lags \
            gets the missing entries first, and MsgTimeoutNow when it acknowledges them.
            """,
        subject: { $0.ch09 },
        checks: [
            Check("an up-to-date transferee is told to campaign now") { ch, expect in
                let s = TransferSituation(lastIndex: 5, transferee: 2, transfereeMatch: 5)
                expect.equal(ch.transferDecision(s), .sendTimeoutNow, "transferDecision(\(s))")
            },
            Check("a lagging transferee is caught up first") { ch, expect in
                for match: UInt64 in [3, 0] {
                    let s = TransferSituation(lastIndex: 5, transferee: 2, transfereeMatch: match)
                    expect.equal(ch.transferDecision(s), .catchUpFirst, "transferDecision(\(s))")
                }
            },
            Check("learners, strangers and the leader itself are not transferees") { ch, expect in
                let rows: [(TransferSituation, TransferDecision)] = [
                    (TransferSituation(lastIndex: 5, transferee: 4, transfereeMatch: 5), .ignore),
                    (TransferSituation(lastIndex: 5, transferee: 9, transfereeMatch: 0), .ignore),
                    (TransferSituation(lastIndex: 5, transferee: 1, transfereeMatch: 5), .ignore),
                    (TransferSituation(lastIndex: 5, transferee: 3, transfereeMatch: 5), .sendTimeoutNow),
                ]
                for (s, decision) in rows { expect.equal(ch.transferDecision(s), decision, "transferDecision(\(s))") }
            },
            Check("a repeated request is ignored; a request for another node replaces the transfer") { ch, expect in
                let rows: [(TransferSituation, TransferDecision)] = [
                    (TransferSituation(lastIndex: 5, transferee: 2, transfereeMatch: 3, inProgress: 2), .ignore),
                    (TransferSituation(lastIndex: 5, transferee: 2, transfereeMatch: 5, inProgress: 2), .ignore),
                    (TransferSituation(lastIndex: 5, transferee: 2, transfereeMatch: 3, inProgress: 3), .catchUpFirst),
                    (TransferSituation(lastIndex: 5, transferee: 2, transfereeMatch: 5, inProgress: 3), .sendTimeoutNow),
                    (TransferSituation(lastIndex: 5, transferee: 1, transfereeMatch: 5, inProgress: 3), .ignore),
                ]
                for (s, decision) in rows { expect.equal(ch.transferDecision(s), decision, "transferDecision(\(s))") }
            },
            .agreesWithReference(
                "agrees with a real leader on 150 random requests",
                reference: Ch09Reference(),
                inputs: transferCases,
                describe: { "transferDecision(\($0))" },
                { ch, s in ch.transferDecision(s) }),
        ])

    /// Leaders 1 of voters 1...3 (or 1...5) with learner 6; transferees among every kind of node.
    static let transferCases: [TransferSituation] = SeededRandomNumberGenerator.cases(150, seed: 91) { rng in
        let voters: [UInt64] = Bool.random(using: &rng) ? [1, 2, 3] : [1, 2, 3, 4, 5]
        let lastIndex = UInt64.random(in: 1...6, using: &rng)
        let transferee = ([1, 6, 9] + voters.dropFirst()).randomElement(using: &rng) ?? 2
        let isFollower = transferee != 1 && transferee != 9
        let inProgress = Bool.random(using: &rng) ? PeerID.none : (voters.dropFirst().randomElement(using: &rng) ?? PeerID.none)
        return TransferSituation(
            leader: 1, voters: voters, learners: [6], lastIndex: lastIndex, transferee: transferee,
            transfereeMatch: isFollower ? UInt64.random(in: 0...lastIndex, using: &rng) : 0, inProgress: inProgress)
    }

    // MARK: - 9.2 The lease and the transfer campaign

    static let lease = Exercise(
        ExerciseID(9, 2), "the lease and the transfer campaign",
        summary: "When a follower under CheckQuorum ignores vote requests, and why a transfer campaign gets through.",
        symbol: "answersVoteRequest(_:)",
        hint: """
            With CheckQuorum, a follower that has heard from its leader less than an election \
            timeout ago (ticksSinceLeader < electionTimeout) trusts that leader and ignores vote \
            and pre-vote requests for higher terms: their sender is probably a node that was cut \
            off, and answering would disturb a healthy cluster (Raft thesis §4.2.3). The lease \
            does not apply without CheckQuorum, without a known leader, or when the request \
            carries the transfer context: the leader itself asked for that election.
            """,
        subject: { $0.ch09 },
        checks: [
            Check("without CheckQuorum every request is answered") { ch, expect in
                let s = LeaseSituation(checkQuorum: false, leaderKnown: true, ticksSinceLeader: 0)
                expect.equal(ch.answersVoteRequest(s), true, "answersVoteRequest(\(s))")
            },
            Check("within the lease a request is ignored, after it answered") { ch, expect in
                let rows: [(Int, Bool)] = [(3, false), (9, false), (10, true), (12, true)]
                for (ticks, answered) in rows {
                    let s = LeaseSituation(checkQuorum: true, leaderKnown: true, ticksSinceLeader: ticks)
                    expect.equal(ch.answersVoteRequest(s), answered, "answersVoteRequest(\(s))")
                }
            },
            Check("a follower that knows no leader holds no lease") { ch, expect in
                let s = LeaseSituation(checkQuorum: true, leaderKnown: false, ticksSinceLeader: 0)
                expect.equal(ch.answersVoteRequest(s), true, "answersVoteRequest(\(s))")
            },
            Check("a transfer campaign overrides the lease") { ch, expect in
                let forced = LeaseSituation(checkQuorum: true, leaderKnown: true, ticksSinceLeader: 0, transfer: true)
                let plain = LeaseSituation(checkQuorum: true, leaderKnown: true, ticksSinceLeader: 0, transfer: false)
                expect.equal(ch.answersVoteRequest(forced), true, "answersVoteRequest(\(forced))")
                expect.equal(ch.answersVoteRequest(plain), false, "answersVoteRequest(\(plain))")
            },
            Check("pre-votes respect the lease too") { ch, expect in
                let within = LeaseSituation(checkQuorum: true, leaderKnown: true, ticksSinceLeader: 2, kind: .preVote)
                let after = LeaseSituation(checkQuorum: true, leaderKnown: true, ticksSinceLeader: 10, kind: .preVote)
                expect.equal(ch.answersVoteRequest(within), false, "answersVoteRequest(\(within))")
                expect.equal(ch.answersVoteRequest(after), true, "answersVoteRequest(\(after))")
            },
            .agreesWithReference(
                "agrees with a real follower in 96 situations",
                reference: Ch09Reference(),
                inputs: leaseCases,
                describe: { "answersVoteRequest(\($0))" },
                { ch, s in ch.answersVoteRequest(s) }),
        ])

    static let leaseCases: [LeaseSituation] = {
        var cases: [LeaseSituation] = []
        for checkQuorum in [false, true] {
            for leaderKnown in [false, true] {
                for (ticks, timeout) in [(0, 10), (5, 10), (9, 10), (10, 10), (12, 10), (4, 5)] {
                    for kind in [VoteKind.vote, .preVote] {
                        for transfer in [false, true] {
                            cases.append(LeaseSituation(checkQuorum: checkQuorum, leaderKnown: leaderKnown,
                                                        ticksSinceLeader: ticks, electionTimeout: timeout,
                                                        kind: kind, transfer: transfer))
                        }
                    }
                }
            }
        }
        return cases
    }()
}
