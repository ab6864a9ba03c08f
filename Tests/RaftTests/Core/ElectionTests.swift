import Testing
@testable import Raft

// Elections in small clusters: who wins, with and without PreVote, across partitions and
// uneven logs, and how a node treats its own vote when the election moves on without it.

@Suite struct ElectionTests {
    /// One campaign by node 1 in clusters where some members never answer (black holes) or have
    /// longer logs in the same term (so they answer with rejections).
    /// etcd: TestLeaderElection, TestLeaderElectionPreVote (merged).
    @Test(arguments: [false, true])
    func campaignOutcomes(preVoteOn: Bool) throws {
        let configure: ((inout Config) -> Void)? = preVoteIf(preVoteOn)
        // Without a quorum of answers, a pre-candidate stays one at term 0; a candidate at term 1.
        let stuck: (StateType, UInt64) = preVoteOn ? (.preCandidate, 0) : (.candidate, 1)
        let cases: [([TestPeer], StateType, UInt64)] = [
            ([.fresh, .fresh, .fresh], .leader, 1),
            ([.fresh, .fresh, .blackHole], .leader, 1),
            ([.fresh, .blackHole, .blackHole], stuck.0, stuck.1),
            ([.fresh, .blackHole, .blackHole, .fresh], stuck.0, stuck.1),
            ([.fresh, .blackHole, .blackHole, .fresh, .fresh], .leader, 1),
            ([.fresh, .withLog(1, configure: configure), .withLog(1, configure: configure),
              .withLog(1, 1, configure: configure), .fresh], .follower, 1),
        ]
        for (k, (members, state, term)) in cases.enumerated() {
            let net = try TestNetwork(members, configure: configure)
            net.send(localMessage(.msgHup))
            #expect(net[1].state == state, "case \(k)")
            #expect(net[1].term == term, "case \(k)")
        }
    }

    /// Every node of a cluster can campaign and win in turn, not only from a fresh start.
    /// etcd: TestLeaderCycle, TestLeaderCyclePreVote (merged).
    @Test(arguments: [false, true])
    func everyNodeCanWinInTurn(preVoteOn: Bool) throws {
        let net = try TestNetwork(fresh: 3, configure: preVoteIf(preVoteOn))
        for campaigner: UInt64 in 1...3 {
            net.send(localMessage(.msgHup, node: campaigner))
            for id: UInt64 in 1...3 {
                #expect(net[id].state == (id == campaigner ? StateType.leader : .follower), "campaigner \(campaigner), node \(id)")
            }
        }
    }

    /// A new leader whose log lacks the highest-term entries of a lost leader overwrites them with
    /// its own: after node 1 wins term 3, every log is [1/1, 3/2].
    /// etcd: TestLeaderElectionOverwriteNewerLogs, TestLeaderElectionOverwriteNewerLogsPreVote (merged).
    @Test(arguments: [false, true])
    func newLeaderOverwritesNewerUncommittedEntries(preVoteOn: Bool) throws {
        let configure: ((inout Config) -> Void)? = preVoteIf(preVoteOn)
        let net = try TestNetwork([
            .withLog(1, configure: configure),  // won term 1
            .withLog(1, configure: configure),  // got node 1's entry
            .withLog(2, configure: configure),  // won term 2, wrote an entry nobody got
            .voted(for: 3, term: 2, configure: configure),
            .voted(for: 3, term: 2, configure: configure),
        ])
        // A quorum knows of term 2: the first campaign fails but moves node 1 to term 2.
        net.send(localMessage(.msgHup))
        #expect(net[1].state == .follower && net[1].term == 2)
        net.send(localMessage(.msgHup))
        #expect(net[1].state == .leader && net[1].term == 3)
        for id: UInt64 in 1...5 {
            #expect(net[id].raftLog.allEntries().map(\.term) == [1, 3], "node \(id)")
        }
    }

    /// A vote (or pre-vote) request for a later term is granted from any role when the candidate's
    /// log is up to date. A real vote moves the node to that term as a follower; a pre-vote
    /// changes nothing.
    /// etcd: TestVoteFromAnyState, TestPreVoteFromAnyState (merged).
    @Test(arguments: [MessageType.msgVote, .msgPreVote], StateType.allCases)
    func voteForNewerTermFromAnyRole(_ type: MessageType, _ role: StateType) throws {
        let r = try newTestRaft(id: 1, peers: [1, 2, 3])
        r.term = 1
        switch role {
        case .follower: r.becomeFollower(term: r.term, lead: 3)
        case .preCandidate: r.becomePreCandidate()
        case .candidate: r.becomeCandidate()
        case .leader: r.becomeLeaderNow()
        }
        let before = (term: r.term, vote: r.vote)
        let newTerm = r.term + 1
        try r.step(Message(type: type, to: 1, from: 2, term: newTerm, logTerm: newTerm, index: 42))
        let answers = r.readMessages()
        try #require(answers.count == 1)
        #expect(answers[0].type == type.voteResponse)
        #expect(!answers[0].reject)
        #expect(answers[0].term == newTerm)
        if type == .msgVote {
            #expect(r.state == .follower && r.term == newTerm && r.vote == 2)
        } else {
            #expect(r.state == role && r.term == before.term && r.vote == before.vote)
        }
    }

    /// Two candidates at once: node 1 wins (with node 2's vote), node 3 is left a candidate. Once
    /// the partition heals, node 3's next campaign disrupts the term, but its shorter log cannot
    /// win: everyone ends a follower at term 2.
    /// etcd: TestDuelingCandidates.
    @Test func duelingCandidates() throws {
        let net = try TestNetwork(fresh: 3)
        net.cut(1, 3)
        net.send(localMessage(.msgHup, node: 1))
        net.send(localMessage(.msgHup, node: 3))
        #expect(net[1].state == .leader)
        #expect(net[3].state == .candidate)
        net.recover()
        net.send(localMessage(.msgHup, node: 3))
        for (id, lastIndex) in [(UInt64(1), UInt64(1)), (2, 1), (3, 0)] {
            #expect(net[id].state == .follower, "node \(id)")
            #expect(net[id].term == 2, "node \(id)")
            #expect(net[id].raftLog.lastIndex() == lastIndex, "node \(id)")
        }
    }

    /// The same duel with PreVote: node 3's pre-votes are refused, so it never raises the term and
    /// the leader keeps its leadership.
    /// etcd: TestDuelingPreCandidates.
    @Test func duelingPreCandidates() throws {
        let net = try TestNetwork(fresh: 3, configure: preVote)
        net.cut(1, 3)
        net.send(localMessage(.msgHup, node: 1))
        net.send(localMessage(.msgHup, node: 3))
        #expect(net[1].state == .leader)
        #expect(net[3].state == .follower)
        net.recover()
        net.send(localMessage(.msgHup, node: 3))
        for (id, state, lastIndex) in [(UInt64(1), StateType.leader, UInt64(1)), (2, .follower, 1), (3, .follower, 0)] {
            #expect(net[id].state == state, "node \(id)")
            #expect(net[id].term == 1, "node \(id)")
            #expect(net[id].raftLog.lastIndex() == lastIndex, "node \(id)")
        }
    }

    /// An isolated candidate concedes to the leader elected meanwhile as soon as it hears from it,
    /// and ends up with the leader's log.
    /// etcd: TestCandidateConcede.
    @Test func isolatedCandidateConcedes() throws {
        let net = try TestNetwork(fresh: 3)
        net.isolate(1)
        net.send(localMessage(.msgHup, node: 1))
        net.send(localMessage(.msgHup, node: 3))
        net.recover()
        net.send(localMessage(.msgBeat, node: 3))
        net.send(propMessage("force follower", node: 3))
        net.send(localMessage(.msgBeat, node: 3))
        #expect(net[1].state == .follower)
        #expect(net[1].term == 1)
        for id: UInt64 in 1...3 {
            #expect(net[id].raftLog.allEntries() == [
                Entry(term: 1, index: 1), Entry(term: 1, index: 2, data: bytes("force follower")),
            ], "node \(id)")
            #expect(net[id].raftLog.committed == 2, "node \(id)")
        }
    }

    /// A cluster of one elects itself at once, with or without PreVote.
    /// etcd: TestSingleNodeCandidate, TestSingleNodePreCandidate (merged).
    @Test(arguments: [false, true])
    func singleNodeElectsItself(preVoteOn: Bool) throws {
        let net = try TestNetwork(fresh: 1, configure: preVoteIf(preVoteOn))
        net.send(localMessage(.msgHup))
        #expect(net[1].state == .leader)
        #expect(net[1].term == 1)
    }

    /// MsgHup at a leader changes nothing: no new term, no new campaign.
    /// etcd: TestCampaignWhileLeader, TestPreCampaignWhileLeader (merged).
    @Test(arguments: [false, true])
    func campaignWhileLeaderIsIgnored(preVoteOn: Bool) throws {
        let r = try newTestRaft(id: 1, peers: [1], election: 5) { $0.preVote = preVoteOn }
        #expect(r.state == .follower)
        try r.step(localMessage(.msgHup))
        r.advanceMessagesAfterAppend()
        #expect(r.state == .leader)
        let term = r.term
        try r.step(localMessage(.msgHup))
        r.advanceMessagesAfterAppend()
        #expect(r.state == .leader)
        #expect(r.term == term)
    }

    /// A candidate cut off from a newer leader goes back to follower, at the leader's term, as
    /// soon as an append or heartbeat of that leader reaches it.
    /// etcd: TestCandidateResetTermMsgHeartbeat, TestCandidateResetTermMsgApp (merged).
    @Test(arguments: [MessageType.msgHeartbeat, .msgApp])
    func candidateAdoptsTermOfLeaderMessage(_ type: MessageType) throws {
        let net = try TestNetwork(fresh: 3)
        let (a, b, c) = (net[1], net[2], net[3])
        net.send(localMessage(.msgHup, node: 1))
        #expect(a.state == .leader && b.state == .follower && c.state == .follower)
        net.isolate(3)
        net.send(localMessage(.msgHup, node: 2))
        net.send(localMessage(.msgHup, node: 1))
        #expect(a.state == .leader && b.state == .follower)
        c.resetRandomizedElectionTimeout()
        c.tick(times: c.randomizedElectionTimeout)
        c.advanceMessagesAfterAppend()
        #expect(c.state == .candidate)
        net.recover()
        net.send(Message(type: type, to: 3, from: 1, term: a.term))
        #expect(c.state == .follower)
        #expect(c.term == a.term)
    }

    /// A (pre-)candidate that learns of a winner before its own vote is persisted stays a
    /// follower when that vote is finally delivered, and does not count it.
    /// etcd: TestCandidateSelfVoteAfterLostElection, TestCandidateSelfVoteAfterLostElectionPreVote (merged).
    @Test(arguments: [false, true])
    func ownVoteAfterLostElectionIsIgnored(preVoteOn: Bool) throws {
        let r = try newTestRaft(id: 1, peers: [1, 2, 3], election: 5) { $0.preVote = preVoteOn }
        try r.step(localMessage(.msgHup))
        let ownVote = r.takeMessagesAfterAppend()
        try r.step(Message(type: .msgHeartbeat, to: 1, from: 2, term: r.term))
        #expect(r.state == .follower)
        r.stepOrSend(ownVote)
        #expect(r.state == .follower)
        #expect(r.trk.tallyVotes().granted == 0)
    }

    /// A pre-candidate that became a candidate on its peers' pre-votes ignores its own late pre-vote,
    /// but its own real vote, once persisted, completes the quorum.
    /// etcd: TestCandidateDeliversPreCandidateSelfVoteAfterBecomingCandidate.
    @Test func latePreVoteOfSelfDoesNotCountInElection() throws {
        let r = try newTestRaft(id: 1, peers: [1, 2, 3], election: 5, configure: preVote)
        try r.step(localMessage(.msgHup))
        #expect(r.state == .preCandidate)
        let ownPreVote = r.takeMessagesAfterAppend()
        try r.step(Message(type: .msgPreVoteResp, to: 1, from: 2, term: r.term + 1))
        try r.step(Message(type: .msgPreVoteResp, to: 1, from: 3, term: r.term + 1))
        #expect(r.state == .candidate)
        r.stepOrSend(ownPreVote)
        #expect(r.state == .candidate)
        let ownVote = r.takeMessagesAfterAppend()
        #expect(r.trk.tallyVotes().granted == 0)
        try r.step(Message(type: .msgVoteResp, to: 1, from: 2, term: r.term))
        #expect(r.state == .candidate)
        r.stepOrSend(ownVote)
        #expect(r.state == .leader)
    }

    /// A leader's acknowledgement of its own entries, delivered after it lost leadership, is
    /// ignored (it carries the older term).
    /// etcd: TestLeaderMsgAppSelfAckAfterTermChange.
    @Test func ownAppendAckAfterTermChangeIsIgnored() throws {
        let r = try newTestRaft(id: 1, peers: [1, 2, 3], election: 5)
        r.becomeLeaderNow()
        try r.step(propMessage())
        let acks = r.takeMessagesAfterAppend()
        try r.step(Message(type: .msgHeartbeat, to: 1, from: 2, term: r.term + 1))
        #expect(r.state == .follower)
        #expect(r.stepOrSend(acks).isEmpty)
        #expect(r.state == .follower)
    }

    /// A node that fell behind while partitioned can still take part in an election once the
    /// leader disappears, with PreVote (which once deadlocked here).
    /// etcd: TestNodeWithSmallerTermCanCompleteElection.
    @Test func laggingNodeDoesNotBlockElectionWithPreVote() throws {
        let net = try TestNetwork(fresh: 3, configure: preVote)
        for id: UInt64 in 1...3 { net[id].becomeFollower(term: 1, lead: PeerID.none) }
        net.cut(1, 3)
        net.cut(2, 3)
        net.send(localMessage(.msgHup, node: 1))
        #expect(net[1].state == .leader && net[2].state == .follower)
        net.send(localMessage(.msgHup, node: 3))
        #expect(net[3].state == .preCandidate)
        net.send(localMessage(.msgHup, node: 2))
        #expect(net[1].term == 3 && net[2].term == 3 && net[3].term == 1)
        #expect(net[1].state == .follower && net[2].state == .leader && net[3].state == .preCandidate)
        // Node 3 comes back just as the leader (node 2) goes away.
        net.recover()
        net.cut(2, 1)
        net.cut(2, 3)
        net.send(localMessage(.msgHup, node: 3))
        net.send(localMessage(.msgHup, node: 1))
        #expect(net[1].state == .leader || net[3].state == .leader)
    }

    /// After a split vote under PreVote, the next round elects a leader.
    /// etcd: TestPreVoteWithSplitVote.
    @Test func splitVoteResolvesInNextRoundWithPreVote() throws {
        let net = try TestNetwork(fresh: 3, configure: preVote)
        for id: UInt64 in 1...3 { net[id].becomeFollower(term: 1, lead: PeerID.none) }
        net.send(localMessage(.msgHup, node: 1))
        net.isolate(1)
        net.send(localMessage(.msgHup, node: 2), localMessage(.msgHup, node: 3))
        #expect(net[2].term == 3 && net[3].term == 3)
        #expect(net[2].state == .candidate && net[3].state == .candidate)
        net.send(localMessage(.msgHup, node: 2))
        #expect(net[2].term == 4 && net[3].term == 4)
        #expect(net[2].state == .leader && net[3].state == .follower)
    }

    /// A node that is not in the configuration ignores MsgTimeoutNow, and vote responses cannot
    /// make it leader.
    /// etcd: TestTransferNonMember.
    @Test func nonMemberNeverBecomesLeader() throws {
        let r = try newTestRaft(id: 1, peers: [2, 3, 4], election: 5)
        try r.step(Message(type: .msgTimeoutNow, to: 1, from: 2))
        try r.step(Message(type: .msgVoteResp, to: 1, from: 2))
        try r.step(Message(type: .msgVoteResp, to: 1, from: 3))
        #expect(r.state == .follower)
        #expect(r.term == 0)
    }

    /// The randomized timeout lies in [electionTimeout, 2 * electionTimeout): the chance that a
    /// given elapsed count is past it grows linearly over that range.
    /// etcd: TestPastElectionTimeout.
    @Test(arguments: [(5, 0.0, false), (10, 0.1, true), (13, 0.4, true), (15, 0.6, true), (18, 0.9, true), (20, 1.0, false)]
          as [(Int, Double, Bool)])
    func pastElectionTimeoutProbability(elapsed: Int, probability: Double, rounded: Bool) throws {
        let r = try newTestRaft(id: 1, peers: [1], election: 10)
        r.electionElapsed = elapsed
        var past = 0
        let trials = 10_000
        for _ in 0..<trials {
            r.resetRandomizedElectionTimeout()
            if r.pastElectionTimeout() { past += 1 }
        }
        var got = Double(past) / Double(trials)
        if rounded { got = (got * 10 + 0.5).rounded(.down) / 10 }
        #expect(got == probability)
    }
}
