import Raft

/// Chapter 9 answered by real nodes: a leader asked to transfer, a follower asked for a vote.
struct Ch09Reference: Ch09Exercises {
    func transferDecision(_ s: TransferSituation) -> TransferDecision {
        guard s.voters.contains(s.leader), s.lastIndex >= 1,
              let node = try? LabNode(
                id: s.leader, voters: s.voters, learners: s.learners,
                terms: [UInt64](repeating: 1, count: Int(s.lastIndex - 1)), hardState: HardState(term: 1))
        else { return .ignore }
        // Elected with every other voter's vote; its empty entry is the one at lastIndex.
        node.campaignAndWin(votesFrom: s.voters.filter { $0 != s.leader })
        let member = s.voters.contains(s.transferee) || s.learners.contains(s.transferee)
        if member && s.transferee != s.leader && s.transfereeMatch > 0 {
            node.acknowledge(from: s.transferee, upTo: s.transfereeMatch)
        }
        if s.inProgress != PeerID.none { node.raw.transferLeader(s.inProgress) }
        node.cycle()
        let before = node.raw.basicStatus().leadTransferee
        node.raw.transferLeader(s.transferee)
        let rd = node.cycle()
        if rd.messages.contains(where: { $0.type == .msgTimeoutNow && $0.to == s.transferee }) { return .sendTimeoutNow }
        let after = node.raw.basicStatus().leadTransferee
        return after == s.transferee && before != s.transferee ? .catchUpFirst : .ignore
    }

    /// The follower is node 1 of three, with an empty log; the candidate is node 3, also with an
    /// empty log (so up to date), asking about term 2.
    func answersVoteRequest(_ s: LeaseSituation) -> Bool {
        guard s.electionTimeout > 1, let node = try? LabNode(voters: [1, 2, 3], configure: {
            $0.checkQuorum = s.checkQuorum
            $0.electionTick = s.electionTimeout
        }) else { return false }
        if s.leaderKnown { node.receive(Message(type: .msgHeartbeat, from: 2, term: 1)) }
        // Keep the follower from campaigning while the ticks pass: only the lease is under test.
        node.raw.setRandomizedElectionTimeout(Int.max)
        for _ in 0..<max(0, s.ticksSinceLeader) { node.raw.tick() }
        node.cycle()
        let type: MessageType = s.kind == .vote ? .msgVote : .msgPreVote
        let context: [UInt8] = s.transfer ? Array("CampaignTransfer".utf8) : []
        node.receive(Message(type: type, from: 3, term: 2, context: context))
        let rd = node.cycle()
        return rd.messages.contains { $0.to == 3 && $0.type == type.voteResponse }
    }
}
