import Testing
@testable import Raft

// CheckQuorum (a leader steps down when it stops hearing from a quorum, and followers honour its
// lease by ignoring vote requests while they hear from it) and PreVote, alone and together, in
// the partition scenarios where they matter.

/// Turns on CheckQuorum.
private func checkQuorum(_ config: inout Config) { config.checkQuorum = true }

/// Turns on CheckQuorum and PreVote.
private func checkQuorumAndPreVote(_ config: inout Config) {
    config.checkQuorum = true
    config.preVote = true
}

@Suite struct CheckQuorumTests {
    /// A leader that keeps hearing from a follower stays leader past the election timeout.
    /// etcd: TestLeaderStepdownWhenQuorumActive.
    @Test func leaderStaysWhileQuorumIsActive() throws {
        let r = try newTestRaft(id: 1, peers: [1, 2, 3], election: 5, configure: checkQuorum)
        r.becomeLeaderNow()
        for _ in 0...r.electionTimeout {
            try r.step(Message(type: .msgHeartbeatResp, from: 2, term: r.term))
            r.tick()
        }
        #expect(r.state == .leader)
    }

    /// A leader that hears from nobody for an election timeout steps down.
    /// etcd: TestLeaderStepdownWhenQuorumLost.
    @Test func leaderStepsDownWhenQuorumIsLost() throws {
        let r = try newTestRaft(id: 1, peers: [1, 2, 3], election: 5, configure: checkQuorum)
        r.becomeLeaderNow()
        r.tick(times: r.electionTimeout + 1)
        #expect(r.state == .follower)
        #expect(r.lead == PeerID.none)
    }

    /// Without CheckQuorum, a leader that hears from nobody stays leader.
    @Test func leaderWithoutCheckQuorumNeverStepsDownAlone() throws {
        let r = try newTestRaft(id: 1, peers: [1, 2, 3], election: 5)
        r.becomeLeaderNow()
        r.tick(times: 10 * r.electionTimeout)
        #expect(r.state == .leader)
    }

    /// A follower that heard from its leader within the election timeout ignores a candidate;
    /// once the timeout passes, it votes and the candidate wins.
    /// etcd: TestLeaderSupersedingWithCheckQuorum.
    @Test func followerHonoursTheLeaderLease() throws {
        let net = try TestNetwork(fresh: 3, configure: checkQuorum)
        let (a, b, c) = (net[1], net[2], net[3])
        b.setRandomizedElectionTimeout(b.electionTimeout + 1)
        b.tick(times: b.electionTimeout)
        net.send(localMessage(.msgHup, node: 1))
        #expect(a.state == .leader)
        #expect(c.state == .follower)
        net.send(localMessage(.msgHup, node: 3))
        #expect(c.state == .candidate)
        b.tick(times: b.electionTimeout)
        net.send(localMessage(.msgHup, node: 3))
        #expect(c.state == .leader)
    }

    /// Right after start, votes are cast without waiting for any timeout; later, the nodes whose
    /// lease ran out elect a new leader and the old one follows it.
    /// etcd: TestLeaderElectionWithCheckQuorum.
    @Test func electionsWithCheckQuorum() throws {
        let net = try TestNetwork(fresh: 3, configure: checkQuorum)
        let (a, b, c) = (net[1], net[2], net[3])
        a.setRandomizedElectionTimeout(a.electionTimeout + 1)
        b.setRandomizedElectionTimeout(b.electionTimeout + 2)
        net.send(localMessage(.msgHup, node: 1))
        #expect(a.state == .leader)
        #expect(c.state == .follower)
        // Role changes drew new timeouts; keep them above the election timeout.
        a.setRandomizedElectionTimeout(a.electionTimeout + 1)
        b.setRandomizedElectionTimeout(b.electionTimeout + 2)
        a.tick(times: a.electionTimeout)
        b.tick(times: b.electionTimeout)
        net.send(localMessage(.msgHup, node: 3))
        #expect(a.state == .follower)
        #expect(c.state == .leader)
    }

    /// A candidate stuck at a higher term (its votes ignored under the leases) is freed: its
    /// answer to the leader's heartbeat carries its term, the leader steps down to it, and the
    /// next election succeeds.
    /// etcd: TestFreeStuckCandidateWithCheckQuorum.
    @Test func stuckCandidateIsFreedByTheLeader() throws {
        let net = try TestNetwork(fresh: 3, configure: checkQuorum)
        let (a, b, c) = (net[1], net[2], net[3])
        b.setRandomizedElectionTimeout(b.electionTimeout + 1)
        b.tick(times: b.electionTimeout)
        net.send(localMessage(.msgHup, node: 1))
        net.isolate(1)
        net.send(localMessage(.msgHup, node: 3))
        #expect(b.state == .follower)
        #expect(c.state == .candidate)
        #expect(c.term == b.term + 1)
        net.send(localMessage(.msgHup, node: 3))
        #expect(b.state == .follower)
        #expect(c.state == .candidate)
        #expect(c.term == b.term + 2)

        net.recover()
        net.send(Message(type: .msgHeartbeat, to: 3, from: 1, term: a.term))
        #expect(a.state == .follower)
        #expect(a.term == c.term)
        net.send(localMessage(.msgHup, node: 3))
        #expect(c.state == .leader)
    }

    /// A voter that cannot be promoted (it removed itself) still follows the leader it voted for.
    /// etcd: TestNonPromotableVoterWithCheckQuorum.
    @Test func nonPromotableVoterFollowsTheLeader() throws {
        let a = try newTestRaft(id: 1, peers: [1, 2], configure: checkQuorum)
        let b = try newTestRaft(id: 2, peers: [1], configure: checkQuorum)
        let net = try TestNetwork([.raft(a), .raft(b)])
        b.setRandomizedElectionTimeout(b.electionTimeout + 1)
        // The network made node 2 a member again; remove it to make it non-promotable.
        _ = try b.applyConfChange(ConfChange(type: .confChangeRemoveNode, nodeID: 2).asV2())
        #expect(!b.promotable())
        b.tick(times: b.electionTimeout)
        net.send(localMessage(.msgHup, node: 1))
        #expect(a.state == .leader)
        #expect(b.state == .follower)
        #expect(b.lead == 1)
    }

    /// A follower whose election timer fires while the leader's heartbeats are delayed becomes a
    /// candidate at a higher term; its answer to the late heartbeat then deposes the leader.
    /// etcd: TestDisruptiveFollower.
    @Test func disruptiveFollowerDeposesTheLeader() throws {
        let net = try TestNetwork(fresh: 3, configure: checkQuorum)
        let (n1, n2, n3) = (net[1], net[2], net[3])
        for r in [n1, n2, n3] { r.becomeFollower(term: 1, lead: PeerID.none) }
        net.send(localMessage(.msgHup, node: 1))
        try #require(n1.state == .leader && n2.state == .follower && n3.state == .follower)

        n3.setRandomizedElectionTimeout(n3.electionTimeout + 2)
        n3.tick(times: n3.randomizedElectionTimeout)
        #expect([n1.state, n2.state, n3.state] == [.leader, .follower, .candidate])
        #expect([n1.term, n2.term, n3.term] == [2, 2, 3])

        net.send(Message(type: .msgHeartbeat, to: 3, from: 1, term: n1.term))
        #expect([n1.state, n2.state, n3.state] == [.follower, .follower, .candidate])
        #expect([n1.term, n2.term, n3.term] == [3, 2, 3])
    }

    /// With PreVote, the lagging follower only becomes a pre-candidate: the term does not move and
    /// the late heartbeat leaves the leader in place.
    /// etcd: TestDisruptiveFollowerPreVote.
    @Test func preVoteStopsTheDisruptiveFollower() throws {
        let net = try TestNetwork(fresh: 3, configure: checkQuorum)
        let (n1, n2, n3) = (net[1], net[2], net[3])
        for r in [n1, n2, n3] { r.becomeFollower(term: 1, lead: PeerID.none) }
        net.send(localMessage(.msgHup, node: 1))
        try #require(n1.state == .leader)
        net.isolate(3)
        for _ in 0..<3 { net.send(propMessage()) }
        for r in [n1, n2, n3] { r.preVote = true }
        net.recover()
        net.send(localMessage(.msgHup, node: 3))
        #expect([n1.state, n2.state, n3.state] == [.leader, .follower, .preCandidate])
        #expect([n1.term, n2.term, n3.term] == [2, 2, 2])
        net.send(Message(type: .msgHeartbeat, to: 3, from: 1, term: n1.term))
        #expect(n1.state == .leader)
        #expect(n3.state == .follower)
    }

    /// With both PreVote and CheckQuorum, the followers of an isolated leader still elect a new one.
    /// etcd: TestPreVoteWithCheckQuorum.
    @Test func preVoteWithCheckQuorumElectsAfterLeaderLoss() throws {
        let net = try TestNetwork(fresh: 3, configure: checkQuorumAndPreVote)
        let (n1, n2, n3) = (net[1], net[2], net[3])
        for r in [n1, n2, n3] { r.becomeFollower(term: 1, lead: PeerID.none) }
        net.send(localMessage(.msgHup, node: 1))
        net.isolate(1)
        #expect([n1.state, n2.state, n3.state] == [.leader, .follower, .follower])
        // Node 2 still believes in the leader and ignores node 3's pre-vote; then node 2 campaigns.
        net.send(localMessage(.msgHup, node: 3))
        net.send(localMessage(.msgHup, node: 2))
        #expect(n2.state == .leader || n3.state == .follower)
    }

    /// A leader with CheckQuorum does not step down on the first check after a node is added:
    /// the newcomer gets a full election timeout to show up.
    /// etcd: TestAddNodeCheckQuorum.
    @Test func newMemberGetsATimeoutToShowUp() throws {
        let r = try newTestRaft(id: 1, peers: [1], configure: checkQuorum)
        r.becomeLeaderNow()
        r.tick(times: r.electionTimeout - 1)
        _ = try r.applyConfChange(ConfChange(type: .confChangeAddNode, nodeID: 2).asV2())
        r.tick()
        #expect(r.state == .leader)
        r.tick(times: r.electionTimeout)
        #expect(r.state == .follower)
    }

    /// A vote request from a leadership transfer overrides the lease; any other is ignored.
    @Test func transferVoteOverridesTheLease() throws {
        let r = try newTestRaft(id: 2, peers: [1, 2, 3], configure: checkQuorum)
        r.becomeFollower(term: 1, lead: 1)
        try r.step(Message(type: .msgVote, to: 2, from: 3, term: 2, logTerm: 1, index: 10))
        #expect(r.term == 1 && r.readMessages().isEmpty)
        try r.step(Message(type: .msgVote, to: 2, from: 3, term: 2, logTerm: 1, index: 10,
                           context: bytes("CampaignTransfer")))
        #expect(r.term == 2 && r.vote == 3)
        #expect(r.readMessages().map(\.type) == [.msgVoteResp])
    }

    /// A follower forgets its leader on request, after which it votes at once; with lease-based
    /// reads it refuses, since the leader relies on its lease.
    @Test(arguments: [ReadOnlyOption.safe, .leaseBased])
    func forgetLeader(_ option: ReadOnlyOption) throws {
        let r = try newTestRaft(id: 2, peers: [1, 2, 3]) {
            $0.checkQuorum = true
            $0.readOnlyOption = option
        }
        r.becomeFollower(term: 1, lead: 1)
        try r.step(Message(type: .msgForgetLeader, to: 2))
        #expect(r.lead == (option == .safe ? PeerID.none : 1))
        try r.step(Message(type: .msgVote, to: 2, from: 3, term: 2, logTerm: 1, index: 10))
        #expect(r.term == (option == .safe ? 2 : 1))
    }
}

/// A rolling restart to PreVote: n1 (leader, term 2) and n2 (follower, term 2) run PreVote; n3 was
/// partitioned without it and campaigned up to term 4 with a shorter log, and now runs PreVote.
private func preVoteMigrationCluster() throws -> TestNetwork {
    let net = try TestNetwork(fresh: 3)
    let (n1, n2, n3) = (net[1], net[2], net[3])
    for r in [n1, n2, n3] { r.becomeFollower(term: 1, lead: PeerID.none) }
    n1.preVote = true
    n2.preVote = true
    net.send(localMessage(.msgHup, node: 1))
    net.isolate(3)
    net.send(propMessage("some data"))
    net.send(localMessage(.msgHup, node: 3))
    net.send(localMessage(.msgHup, node: 3))
    try #require([n1.state, n2.state, n3.state] == [.leader, .follower, .candidate])
    try #require([n1.term, n2.term, n3.term] == [2, 2, 4])
    n3.preVote = true
    net.recover()
    return net
}

@Suite struct PreVoteMigrationTests {
    /// With the leader gone, the migrated cluster still completes an election.
    /// etcd: TestPreVoteMigrationCanCompleteElection.
    @Test func migratedClusterCanElect() throws {
        let net = try preVoteMigrationCluster()
        let (n2, n3) = (net[2], net[3])
        net.isolate(1)
        net.send(localMessage(.msgHup, node: 3))
        net.send(localMessage(.msgHup, node: 2))
        #expect(n2.state == .follower)
        #expect(n3.state == .preCandidate)
        net.send(localMessage(.msgHup, node: 3))
        net.send(localMessage(.msgHup, node: 2))
        #expect(n2.state == .leader || n3.state == .follower)
    }

    /// The stuck pre-candidate (ahead in term, behind in log) is freed by the leader's heartbeat:
    /// the leader adopts its term and steps down.
    /// etcd: TestPreVoteMigrationWithFreeStuckPreCandidate.
    @Test func stuckPreCandidateIsFreed() throws {
        let net = try preVoteMigrationCluster()
        let (n1, n2, n3) = (net[1], net[2], net[3])
        net.send(localMessage(.msgHup, node: 3))
        #expect([n1.state, n2.state, n3.state] == [.leader, .follower, .preCandidate])
        net.send(localMessage(.msgHup, node: 3))
        #expect([n1.state, n2.state, n3.state] == [.leader, .follower, .preCandidate])
        net.send(Message(type: .msgHeartbeat, to: 3, from: 1, term: n1.term))
        #expect(n1.state == .follower)
        #expect(n1.term == n3.term)
    }
}
