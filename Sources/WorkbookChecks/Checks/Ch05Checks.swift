import Raft

/// The checks of chapter 5, ReadIndex.
enum Ch05Checks {
    static let exercises = [acknowledgements, serving]

    // MARK: - 5.1 Acknowledgement counting

    static let acknowledgements = Exercise(
        ExerciseID(5, 1), "acknowledgement counting",
        summary: "Which queued reads a heartbeat acknowledgement of one context confirms.",
        symbol: "receiveHeartbeatAck(voters:pending:from:context:)",
        hint: """
            Find the read with this context; if there is none, nothing changes. Otherwise add \
            `from` to its `acks` (any node: only the quorum test looks at who votes). When the acks \
            hold a majority of the voters, the leader has proven it still led when that read \
            arrived — and so also when every older read arrived: release the read and every read \
            queued before it, oldest first, each with its own index, and keep the rest pending.
            """,
        subject: { $0.ch05 },
        checks: [
            Check("a quorum of acknowledgements releases the read") { ch, expect in
                let pending = [PendingRead("a", index: 10, acks: [1])]
                expect.equal(ch.receiveHeartbeatAck(voters: [1, 2, 3], pending: pending, from: 2, context: "a"),
                             ReadAckResult(released: [ReleasedRead("a", index: 10)], pending: []),
                             "receiveHeartbeatAck(voters: [1, 2, 3], pending: \(pending), from: 2, context: \"a\")")
            },
            Check("below a quorum the acknowledgement is only recorded") { ch, expect in
                let first = [PendingRead("a", index: 10, acks: [1])]
                expect.equal(ch.receiveHeartbeatAck(voters: [1, 2, 3, 4, 5], pending: first, from: 2, context: "a"),
                             ReadAckResult(released: [], pending: [PendingRead("a", index: 10, acks: [1, 2])]),
                             "receiveHeartbeatAck(voters: [1, 2, 3, 4, 5], pending: \(first), from: 2, context: \"a\")")
                let second = [PendingRead("a", index: 10, acks: [1, 2])]
                expect.equal(ch.receiveHeartbeatAck(voters: [1, 2, 3, 4, 5], pending: second, from: 3, context: "a"),
                             ReadAckResult(released: [ReleasedRead("a", index: 10)], pending: []),
                             "receiveHeartbeatAck(voters: [1, 2, 3, 4, 5], pending: \(second), from: 3, context: \"a\")")
            },
            Check("an acknowledgement confirms every read queued before it") { ch, expect in
                let pending = [PendingRead("a", index: 10, acks: [1]), PendingRead("b", index: 11, acks: [1]),
                               PendingRead("c", index: 12, acks: [1])]
                expect.equal(ch.receiveHeartbeatAck(voters: [1, 2, 3], pending: pending, from: 3, context: "b"),
                             ReadAckResult(released: [ReleasedRead("a", index: 10), ReleasedRead("b", index: 11)],
                                           pending: [PendingRead("c", index: 12, acks: [1])]),
                             "receiveHeartbeatAck(voters: [1, 2, 3], pending: \(pending), from: 3, context: \"b\")")
            },
            Check("an acknowledgement of an unknown context changes nothing") { ch, expect in
                let pending = [PendingRead("a", index: 10, acks: [1])]
                expect.equal(ch.receiveHeartbeatAck(voters: [1, 2, 3], pending: pending, from: 2, context: "gone"),
                             ReadAckResult(released: [], pending: pending),
                             "receiveHeartbeatAck(voters: [1, 2, 3], pending: \(pending), from: 2, context: \"gone\")")
                expect.equal(ch.receiveHeartbeatAck(voters: [1, 2, 3], pending: pending, from: 2, context: "a"),
                             ReadAckResult(released: [ReleasedRead("a", index: 10)], pending: []),
                             "receiveHeartbeatAck(voters: [1, 2, 3], pending: \(pending), from: 2, context: \"a\")")
            },
            Check("a non-voter's acknowledgement is recorded but makes no quorum") { ch, expect in
                let pending = [PendingRead("a", index: 10, acks: [1])]
                expect.equal(ch.receiveHeartbeatAck(voters: [1, 2, 3], pending: pending, from: 4, context: "a"),
                             ReadAckResult(released: [], pending: [PendingRead("a", index: 10, acks: [1, 4])]),
                             "receiveHeartbeatAck(voters: [1, 2, 3], pending: \(pending), from: 4, context: \"a\")")
            },
            .agreesWithReference(
                "agrees with the leader's ReadOnly queue on 300 random acknowledgements",
                reference: Ch05Reference(),
                inputs: ackCases,
                describe: { "receiveHeartbeatAck(voters: \($0.voters), pending: \($0.pending), from: \($0.from), context: \"\($0.context)\")" },
                { ch, c in ch.receiveHeartbeatAck(voters: c.voters, pending: c.pending, from: c.from, context: c.context) }),
        ])

    struct AckCase: Sendable {
        let voters: [UInt64]
        let pending: [PendingRead]
        let from: UInt64
        let context: String
    }

    /// Queues of up to four reads on a three- or five-voter leader, none of them already at a
    /// quorum, and an acknowledgement from a voter, a learner or a stranger.
    static let ackCases: [AckCase] = SeededRandomNumberGenerator.cases(300, seed: 51) { rng in
        let voters: [UInt64] = Bool.random(using: &rng) ? [1, 2, 3] : [1, 2, 3, 4, 5]
        let quorum = voters.count / 2 + 1
        var pending: [PendingRead] = []
        var index = UInt64.random(in: 5...9, using: &rng)
        for k in 0..<Int.random(in: 1...4, using: &rng) {
            var acks: Set<UInt64> = [1]
            // Fewer voters than a quorum, plus maybe node 6 (not a voter).
            for id in voters.dropFirst().shuffled(using: &rng).prefix(Int.random(in: 0...(quorum - 2), using: &rng)) {
                acks.insert(id)
            }
            if Bool.random(using: &rng) { acks.insert(6) }
            pending.append(PendingRead("r\(k)", index: index, acks: acks))
            index += UInt64.random(in: 0...2, using: &rng)
        }
        let contexts = pending.map(\.context) + ["unknown"]
        return AckCase(voters: voters, pending: pending, from: UInt64.random(in: 2...6, using: &rng),
                       context: contexts.randomElement(using: &rng) ?? "unknown")
    }

    // MARK: - 5.2 When a read may be served

    static let serving = Exercise(
        ExerciseID(5, 2), "when a read may be served",
        summary: "What a node does with a ReadIndex request: answer, confirm, wait, forward or drop.",
        symbol: "readDecision(_:)",
        hint: """
            Followers forward to the leader they know and drop the read otherwise; candidates \
            drop it. A leader first asks: am I the only voter? Then my commit index is a quorum's \
            and I answer now. Otherwise, have I committed an entry of my own term? If not, my \
            commit index may be stale (Raft paper §8), so the read waits for that first commit. \
            Then the option decides: .leaseBased answers at once, trusting the lease; .safe \
            proves leadership first with a round of heartbeats carrying the read's context.
            """,
        subject: { $0.ch05 },
        checks: [
            Check("a follower forwards to the leader it knows, and drops without one") { ch, expect in
                expect.equal(ch.readDecision(.follower(leaderKnown: true)), .forwardToLeader, "readDecision(.follower(leaderKnown: true))")
                expect.equal(ch.readDecision(.follower(leaderKnown: false)), .drop, "readDecision(.follower(leaderKnown: false))")
            },
            Check("a candidate has no leader to ask") { ch, expect in
                expect.equal(ch.readDecision(.candidate), .drop, "readDecision(.candidate)")
                expect.equal(ch.readDecision(.follower(leaderKnown: true)), .forwardToLeader, "readDecision(.follower(leaderKnown: true))")
            },
            Check("a lone voter answers at once") { ch, expect in
                for committed in [true, false] {
                    let situation = ReadSituation.leader(voters: 1, committedInCurrentTerm: committed, leaseBased: false)
                    expect.equal(ch.readDecision(situation), .answerNow, "readDecision(\(situation))")
                }
            },
            Check("a safe read confirms leadership with a round of heartbeats") { ch, expect in
                for voters in [3, 5] {
                    let situation = ReadSituation.leader(voters: voters, committedInCurrentTerm: true, leaseBased: false)
                    expect.equal(ch.readDecision(situation), .confirmWithHeartbeats, "readDecision(\(situation))")
                }
            },
            Check("a lease-based read trusts the lease") { ch, expect in
                let situation = ReadSituation.leader(voters: 3, committedInCurrentTerm: true, leaseBased: true)
                expect.equal(ch.readDecision(situation), .answerNow, "readDecision(\(situation))")
            },
            Check("a new leader waits for its first commit in its term") { ch, expect in
                for lease in [false, true] {
                    let situation = ReadSituation.leader(voters: 3, committedInCurrentTerm: false, leaseBased: lease)
                    expect.equal(ch.readDecision(situation), .waitForFirstCommit, "readDecision(\(situation))")
                }
            },
            .agreesWithReference(
                "agrees with real nodes in every situation",
                reference: Ch05Reference(),
                inputs: ReadSituation.all,
                describe: { "readDecision(\($0))" },
                { ch, situation in ch.readDecision(situation) }),
        ])
}
