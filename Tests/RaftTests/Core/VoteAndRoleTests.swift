import Testing
@testable import Raft

// How a node answers vote requests in every role, which role changes are possible (and that the
// impossible ones cannot be provoked by any message), and how learners take part in elections.

/// Puts `r` in `role` without going through a transition: only the role and its step function.
private func force(_ r: RaftStateMachine, into role: StateType) {
    r.state = role
    switch role {
    case .follower: r.stepForRole = stepFollower
    case .candidate, .preCandidate: r.stepForRole = stepCandidate
    case .leader: r.stepForRole = stepLeader
    }
}

@Suite struct VoteAndRoleTests {
    /// The voter's log is [2/1, 2/2]. A request is granted only to a candidate whose last entry is
    /// at least as up to date, and only if the voter has not voted for someone else this term.
    /// Leaders and candidates of the term have voted for themselves.
    /// etcd: TestRecvMsgVote, TestRecvMsgPreVote (merged).
    @Test(arguments: [MessageType.msgVote, .msgPreVote])
    func voteResponsesByRoleLogAndPriorVote(_ type: MessageType) throws {
        let cases: [(StateType, index: UInt64, logTerm: UInt64, votedFor: UInt64, rejected: Bool)] = [
            (.follower, 0, 0, PeerID.none, true),
            (.follower, 0, 1, PeerID.none, true),
            (.follower, 0, 2, PeerID.none, true),
            (.follower, 0, 3, PeerID.none, false),
            (.follower, 1, 0, PeerID.none, true),
            (.follower, 1, 1, PeerID.none, true),
            (.follower, 1, 2, PeerID.none, true),
            (.follower, 1, 3, PeerID.none, false),
            (.follower, 2, 0, PeerID.none, true),
            (.follower, 2, 1, PeerID.none, true),
            (.follower, 2, 2, PeerID.none, false),
            (.follower, 2, 3, PeerID.none, false),
            (.follower, 3, 0, PeerID.none, true),
            (.follower, 3, 1, PeerID.none, true),
            (.follower, 3, 2, PeerID.none, false),
            (.follower, 3, 3, PeerID.none, false),
            (.follower, 3, 2, 2, false),
            (.follower, 3, 2, 1, true),
            (.leader, 3, 3, 1, true),
            (.preCandidate, 3, 3, 1, true),
            (.candidate, 3, 3, 1, true),
        ]
        for (k, c) in cases.enumerated() {
            let r = try newTestRaft(id: 1, storage: testStorage(peers: [1], entries: logEntries(from: 1, terms: 2, 2)))
            force(r, into: c.0)
            r.vote = c.votedFor
            // Same term on both sides: this is about logs and prior votes, not about terms.
            let term = max(r.raftLog.lastTerm(), c.logTerm)
            r.term = term
            try r.step(Message(type: type, to: 1, from: 2, term: term, logTerm: c.logTerm, index: c.index))
            let answers = r.readMessages()
            try #require(answers.count == 1, "case \(k)")
            #expect(answers[0].type == type.voteResponse, "case \(k)")
            #expect(answers[0].reject == c.rejected, "case \(k)")
        }
    }

    /// The role changes a node may make, with the term and leader each leaves it with.
    /// etcd: TestStateTransition.
    @Test(arguments: [
        (StateType.follower, StateType.follower, UInt64(1), PeerID.none),
        (.follower, .preCandidate, 0, PeerID.none),
        (.follower, .candidate, 1, PeerID.none),
        (.preCandidate, .follower, 0, PeerID.none),
        (.preCandidate, .preCandidate, 0, PeerID.none),
        (.preCandidate, .candidate, 1, PeerID.none),
        (.preCandidate, .leader, 0, 1),
        (.candidate, .follower, 0, PeerID.none),
        (.candidate, .preCandidate, 0, PeerID.none),
        (.candidate, .candidate, 1, PeerID.none),
        (.candidate, .leader, 0, 1),
        (.leader, .follower, 1, PeerID.none),
        (.leader, .leader, 0, 1),
    ] as [(StateType, StateType, UInt64, UInt64)])
    func allowedTransitions(from: StateType, to: StateType, term: UInt64, lead: UInt64) throws {
        let r = try newTestRaft(id: 1, peers: [1])
        r.state = from
        switch to {
        case .follower: r.becomeFollower(term: term, lead: lead)
        case .preCandidate: r.becomePreCandidate()
        case .candidate: r.becomeCandidate()
        case .leader: r.becomeLeader()
        }
        #expect(r.state == to)
        #expect(r.term == term)
        #expect(r.lead == lead)
    }

    /// A leader never turns into a (pre-)candidate, whatever message of its own term arrives.
    @Test(arguments: [false, true])
    func noMessageTurnsLeaderIntoCandidate(preVoteOn: Bool) throws {
        for type in MessageType.allCases {
            for from: UInt64 in [1, 2] {
                let r = try newTestRaft(id: 1, peers: [1, 2, 3]) { $0.preVote = preVoteOn }
                r.becomeLeaderNow()
                let entries = type == .msgProp || type == .msgReadIndex ? [Entry(data: bytes("x"))] : []
                try? r.step(Message(type: type, to: 1, from: from, term: r.term, entries: entries))
                r.advanceMessagesAfterAppend()
                #expect(r.state == .leader || r.state == .follower, "\(type) from \(from)")
            }
        }
    }

    /// A follower becomes leader only through a campaign: granted votes or pre-votes that arrive
    /// while it is a follower change nothing.
    @Test func grantedVotesDoNotPromoteAFollower() throws {
        let r = try newTestRaft(id: 1, peers: [1, 2, 3])
        r.becomeFollower(term: 1, lead: PeerID.none)
        for type in [MessageType.msgVoteResp, .msgPreVoteResp] {
            for from: UInt64 in [1, 2, 3] {
                try r.step(Message(type: type, to: 1, from: from, term: 1))
                try r.step(Message(type: type, to: 1, from: from, term: 2))
            }
        }
        #expect(r.state == .follower)
        #expect(r.readMessages().isEmpty)
    }

    /// Every role steps down to follower on a vote request or append of a higher term; only an
    /// append names the leader. A leader keeps its own log (its empty entry).
    /// etcd: TestAllServerStepdown.
    @Test(arguments: [
        (StateType.follower, UInt64(0)), (.preCandidate, 0), (.candidate, 0), (.leader, 1),
    ] as [(StateType, UInt64)])
    func everyRoleStepsDownOnHigherTerm(_ role: StateType, lastIndex: UInt64) throws {
        let r = try newTestRaft(id: 1, peers: [1, 2, 3])
        switch role {
        case .follower: r.becomeFollower(term: 1, lead: PeerID.none)
        case .preCandidate: r.becomePreCandidate()
        case .candidate: r.becomeCandidate()
        case .leader: r.becomeLeaderNow()
        }
        for type in [MessageType.msgVote, .msgApp] {
            try r.step(Message(type: type, to: 1, from: 2, term: 3, logTerm: 3))
            #expect(r.state == .follower, "\(type)")
            #expect(r.term == 3, "\(type)")
            #expect(r.raftLog.lastIndex() == lastIndex, "\(type)")
            #expect(r.raftLog.allEntries().count == Int(lastIndex), "\(type)")
            #expect(r.lead == (type == .msgVote ? PeerID.none : 2), "\(type)")
        }
    }

    /// A pre-vote from an older term is rejected (not ignored) with our term, so that the
    /// pre-candidate learns it is behind; an old real vote is simply ignored.
    @Test func stalePreVoteIsRejectedWithOurTerm() throws {
        let r = try newTestRaft(id: 1, peers: [1, 2, 3])
        r.becomeFollower(term: 5, lead: PeerID.none)
        try r.step(Message(type: .msgPreVote, to: 1, from: 2, term: 4, logTerm: 9, index: 9))
        #expect(r.readMessages() == [Message(type: .msgPreVoteResp, to: 2, from: 1, term: 5, reject: true)])
        try r.step(Message(type: .msgVote, to: 1, from: 2, term: 4, logTerm: 9, index: 9))
        #expect(r.readMessages().isEmpty)
        #expect(r.term == 5 && r.vote == PeerID.none)
    }

    /// With CheckQuorum or PreVote, a deposed leader's append or heartbeat is answered with our
    /// newer term so that it steps down; without either, it is ignored.
    @Test(arguments: [(false, false), (true, false), (false, true)] as [(Bool, Bool)])
    func staleLeaderLearnsTheNewTerm(checkQuorum: Bool, preVoteOn: Bool) throws {
        let r = try newTestRaft(id: 1, peers: [1, 2, 3]) {
            $0.checkQuorum = checkQuorum
            $0.preVote = preVoteOn
        }
        r.becomeFollower(term: 5, lead: 3)
        for type in [MessageType.msgApp, .msgHeartbeat] {
            try r.step(Message(type: type, to: 1, from: 2, term: 4))
            let answer = r.readMessages()
            if checkQuorum || preVoteOn {
                #expect(answer == [Message(type: .msgAppResp, to: 2, from: 1, term: 5)], "\(type)")
            } else {
                #expect(answer.isEmpty, "\(type)")
            }
        }
        #expect(r.lead == 3)
    }

    /// MsgBeat makes a leader heartbeat every follower; candidates and followers ignore it.
    /// etcd: TestRecvMsgBeat.
    @Test(arguments: [(StateType.leader, 2), (.candidate, 0), (.follower, 0)] as [(StateType, Int)])
    func beatOnlyMakesLeadersHeartbeat(_ role: StateType, heartbeats: Int) throws {
        let r = try newTestRaft(id: 1, storage: testStorage(peers: [1, 2, 3], entries: logEntries(from: 1, terms: 1, 1)))
        r.term = 1
        force(r, into: role)
        try r.step(localMessage(.msgBeat))
        let sent = r.readMessages()
        #expect(sent.count == heartbeats)
        #expect(sent.allSatisfy { $0.type == .msgHeartbeat })
    }

    // MARK: - Learners

    /// A learner never campaigns, however long it goes without hearing from a leader.
    /// etcd: TestLearnerElectionTimeout.
    @Test func learnerDoesNotTimeOut() throws {
        let learner = try newTestRaft(id: 2, peers: [1], learners: [2])
        learner.becomeFollower(term: 1, lead: PeerID.none)
        learner.setRandomizedElectionTimeout(learner.electionTimeout)
        learner.tick(times: 10 * learner.electionTimeout)
        #expect(learner.state == .follower)
        #expect(learner.isLearner)
        #expect(learner.readMessages().isEmpty)
    }

    /// A learner promoted to voter campaigns and wins like any voter.
    /// etcd: TestLearnerPromotion.
    @Test func promotedLearnerCanWin() throws {
        let n1 = try newTestRaft(id: 1, peers: [1], learners: [2])
        let n2 = try newTestRaft(id: 2, peers: [1], learners: [2])
        n1.becomeFollower(term: 1, lead: PeerID.none)
        n2.becomeFollower(term: 1, lead: PeerID.none)
        let net = try TestNetwork([.raft(n1), .raft(n2)])
        #expect(n1.state != .leader)
        n1.setRandomizedElectionTimeout(n1.electionTimeout)
        n1.tick(times: n1.electionTimeout)
        n1.advanceMessagesAfterAppend()
        #expect(n1.state == .leader)
        #expect(n2.state == .follower)
        net.send(localMessage(.msgBeat, node: 1))

        let promote = ConfChange(type: .confChangeAddNode, nodeID: 2).asV2()
        _ = try n1.applyConfChange(promote)
        _ = try n2.applyConfChange(promote)
        #expect(!n2.isLearner)
        n2.setRandomizedElectionTimeout(n2.electionTimeout)
        n2.tick(times: n2.electionTimeout)
        n2.advanceMessagesAfterAppend()
        net.send(localMessage(.msgBeat, node: 2))
        #expect(n1.state == .follower)
        #expect(n2.state == .leader)
    }

    /// A learner grants votes: it may have been promoted without knowing it yet, and the
    /// candidate may need its vote.
    /// etcd: TestLearnerCanVote.
    @Test func learnerGrantsVotes() throws {
        let learner = try newTestRaft(id: 2, peers: [1], learners: [2])
        learner.becomeFollower(term: 1, lead: PeerID.none)
        try learner.step(Message(type: .msgVote, to: 2, from: 1, term: 2, logTerm: 11, index: 11))
        let answers = learner.readMessages()
        try #require(answers.count == 1)
        #expect(answers[0].type == .msgVoteResp)
        #expect(!answers[0].reject)
        #expect(learner.vote == 1)
    }

    /// A learner ignores both MsgHup and a leader's MsgTimeoutNow.
    /// etcd: TestLearnerCampaign.
    @Test func learnerIgnoresCampaignRequests() throws {
        let n1 = try newTestRaft(id: 1, peers: [1])
        _ = try n1.applyConfChange(ConfChange(type: .confChangeAddLearnerNode, nodeID: 2).asV2())
        let n2 = try newTestRaft(id: 2, peers: [1])
        _ = try n2.applyConfChange(ConfChange(type: .confChangeAddLearnerNode, nodeID: 2).asV2())
        let net = try TestNetwork([.raft(n1), .raft(n2)])
        net.send(localMessage(.msgHup, node: 2))
        #expect(n2.isLearner)
        #expect(n2.state == .follower)
        net.send(localMessage(.msgHup, node: 1))
        #expect(n1.state == .leader && n1.lead == 1)
        net.send(Message(type: .msgTimeoutNow, to: 2, from: 1))
        #expect(n2.state == .follower)
        #expect(n2.term == n1.term)
    }

    /// A leader does not hand leadership to a learner.
    @Test func transferToLearnerIsIgnored() throws {
        let n1 = try newTestRaft(id: 1, peers: [1], learners: [2])
        let n2 = try newTestRaft(id: 2, peers: [1], learners: [2])
        let net = try TestNetwork([.raft(n1), .raft(n2)])
        net.send(localMessage(.msgHup, node: 1))
        try #require(n1.state == .leader)
        net.send(Message(type: .msgTransferLeader, to: 1, from: 2))
        #expect(n1.state == .leader)
        #expect(n1.leadTransferee == PeerID.none)
    }
}
