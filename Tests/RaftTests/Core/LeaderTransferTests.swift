import Testing
@testable import Raft

// Leadership transfer (Raft thesis §3.10): the leader catches the transferee up, tells it to
// campaign at once (MsgTimeoutNow), and refuses proposals meanwhile; the transfer is abandoned
// after an election timeout, when the transferee leaves the configuration, or for another.

/// The node is in `state`, knows `lead` as leader, and has no transfer in progress.
private func expectSettled(
    _ r: RaftStateMachine, _ state: StateType, lead: UInt64, sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(r.state == state, sourceLocation: sourceLocation)
    #expect(r.lead == lead, sourceLocation: sourceLocation)
    #expect(r.leadTransferee == PeerID.none, sourceLocation: sourceLocation)
}

/// A request to the node `to` that leadership go to `transferee`.
private func transferRequest(to: UInt64, transferee: UInt64) -> Message {
    Message(type: .msgTransferLeader, to: to, from: transferee)
}

/// A three-node cluster led by node 1, with node 3 cut off.
private func clusterWithIsolatedNode3() throws -> TestNetwork {
    let net = try TestNetwork(fresh: 3)
    net.send(localMessage(.msgHup))
    net.isolate(3)
    return net
}

@Suite struct LeaderTransferTests {
    /// A transfer to an up-to-date follower completes at once, and leadership can come back.
    /// etcd: TestLeaderTransferToUpToDateNode.
    @Test func transferToUpToDateNodeAndBack() throws {
        let net = try TestNetwork(fresh: 3)
        net.send(localMessage(.msgHup))
        let lead = net[1]
        try #require(lead.lead == 1)
        net.send(transferRequest(to: 1, transferee: 2))
        expectSettled(lead, .follower, lead: 2)
        net.send(Message(type: .msgProp, to: 1, from: 1, entries: [Entry()]))
        net.send(transferRequest(to: 2, transferee: 1))
        expectSettled(lead, .leader, lead: 1)
    }

    /// The request may be sent to a follower, which forwards it to the leader.
    /// etcd: TestLeaderTransferToUpToDateNodeFromFollower.
    @Test func transferRequestedThroughFollower() throws {
        let net = try TestNetwork(fresh: 3)
        net.send(localMessage(.msgHup))
        let lead = net[1]
        net.send(transferRequest(to: 2, transferee: 2))
        expectSettled(lead, .follower, lead: 2)
        net.send(Message(type: .msgProp, to: 1, from: 1, entries: [Entry()]))
        net.send(transferRequest(to: 1, transferee: 1))
        expectSettled(lead, .leader, lead: 1)
    }

    /// A transfer works under CheckQuorum even while the leader's lease holds: the transferee's
    /// vote request says it comes from a transfer.
    /// etcd: TestLeaderTransferWithCheckQuorum.
    @Test func transferOverridesLeases() throws {
        let net = try TestNetwork(fresh: 3) { $0.checkQuorum = true }
        for id: UInt64 in 1...3 { net[id].setRandomizedElectionTimeout(net[id].electionTimeout + Int(id)) }
        let f = net[2]
        f.tick(times: f.electionTimeout)
        net.send(localMessage(.msgHup))
        let lead = net[1]
        try #require(lead.state == .leader)
        net.send(transferRequest(to: 1, transferee: 2))
        expectSettled(lead, .follower, lead: 2)
        net.send(Message(type: .msgProp, to: 1, from: 1, entries: [Entry()]))
        net.send(transferRequest(to: 2, transferee: 1))
        expectSettled(lead, .leader, lead: 1)
    }

    /// A transferee that lacks entries is caught up first, then takes over.
    /// etcd: TestLeaderTransferToSlowFollower.
    @Test func transferToSlowFollower() throws {
        let net = try clusterWithIsolatedNode3()
        net.send(Message(type: .msgProp, to: 1, from: 1, entries: [Entry()]))
        net.recover()
        let lead = net[1]
        #expect(lead.trk.progress[3]?.match == 1)
        net.send(transferRequest(to: 1, transferee: 3))
        expectSettled(lead, .follower, lead: 3)
    }

    /// A transferee that needs a snapshot takes over once it has applied the snapshot and said so.
    /// etcd: TestLeaderTransferAfterSnapshot.
    @Test func transferAfterSnapshot() throws {
        let net = try clusterWithIsolatedNode3()
        net.send(Message(type: .msgProp, to: 1, from: 1, entries: [Entry()]))
        let lead = net[1]
        try lead.nextEnts(net.storage(1))
        _ = try net.storage(1).createSnapshot(lead.raftLog.applied, confState: ConfState(voters: lead.trk.voterNodes()), data: [])
        try net.storage(1).compact(lead.raftLog.applied)
        net.recover()
        #expect(lead.trk.progress[3]?.match == 1)

        // Hold back node 3's acknowledgement of the snapshot until it has applied it.
        var heldBack: Message?
        net.messageHook = { m in
            guard m.type == .msgAppResp, m.from == 3, !m.reject else { return true }
            heldBack = m
            return false
        }
        net.send(transferRequest(to: 1, transferee: 3))
        #expect(lead.state == .leader)
        let ack = try #require(heldBack)

        let follower = net[3]
        let snapshot = try #require(follower.raftLog.nextUnstableSnapshot())
        try net.storage(3).applySnapshot(snapshot)
        try follower.appliedSnap(snapshot)
        net.messageHook = nil
        net.send(ack)
        expectSettled(lead, .follower, lead: 3)
    }

    /// Transfers to the leader itself or to a node that is not a member do nothing.
    /// etcd: TestLeaderTransferToSelf, TestLeaderTransferToNonExistingNode (merged).
    @Test(arguments: [UInt64(1), 4])
    func pointlessTransferIsIgnored(transferee: UInt64) throws {
        let net = try TestNetwork(fresh: 3)
        net.send(localMessage(.msgHup))
        net.send(transferRequest(to: 1, transferee: transferee))
        expectSettled(net[1], .leader, lead: 1)
    }

    /// A transfer that does not finish within an election timeout is abandoned; a heartbeat
    /// timeout is not enough.
    /// etcd: TestLeaderTransferTimeout.
    @Test func transferTimesOut() throws {
        let net = try clusterWithIsolatedNode3()
        let lead = net[1]
        net.send(transferRequest(to: 1, transferee: 3))
        #expect(lead.leadTransferee == 3)
        lead.tick(times: lead.heartbeatTimeout)
        #expect(lead.leadTransferee == 3)
        lead.tick(times: lead.electionTimeout - lead.heartbeatTimeout)
        expectSettled(lead, .leader, lead: 1)
    }

    /// Proposals are refused while a transfer is in progress.
    /// etcd: TestLeaderTransferIgnoreProposal.
    @Test func proposalsRefusedDuringTransfer() throws {
        let s = try testStorage(peers: [1, 2, 3])
        let r = try newTestRaft(id: 1, storage: s)
        let net = try TestNetwork([.raft(r), .fresh, .fresh])
        net.send(localMessage(.msgHup))
        net.isolate(3)
        try r.nextEnts(s)
        net.send(transferRequest(to: 1, transferee: 3))
        #expect(r.leadTransferee == 3)
        net.send(Message(type: .msgProp, to: 1, from: 1, entries: [Entry()]))
        #expect(throws: RaftError.proposalDropped) {
            try r.step(Message(type: .msgProp, to: 1, from: 1, entries: [Entry()]))
        }
        #expect(r.trk.progress[1]?.match == 1)
        #expect(r.raftLog.lastIndex() == 1)
    }

    /// A vote request of a higher term during a transfer deposes the leader and ends the transfer.
    /// etcd: TestLeaderTransferReceiveHigherTermVote.
    @Test func higherTermVoteEndsTransfer() throws {
        let net = try clusterWithIsolatedNode3()
        let lead = net[1]
        net.send(transferRequest(to: 1, transferee: 3))
        #expect(lead.leadTransferee == 3)
        net.send(Message(type: .msgHup, to: 2, from: 2, term: 2, index: 1))
        expectSettled(lead, .follower, lead: 2)
    }

    /// Removing the transferee from the configuration ends the transfer.
    /// etcd: TestLeaderTransferRemoveNode.
    @Test func removingTransfereeEndsTransfer() throws {
        let net = try TestNetwork(fresh: 3)
        net.send(localMessage(.msgHup))
        net.ignore(.msgTimeoutNow)
        let lead = net[1]
        net.send(transferRequest(to: 1, transferee: 3))
        #expect(lead.leadTransferee == 3)
        _ = try lead.applyConfChange(ConfChange(type: .confChangeRemoveNode, nodeID: 3).asV2())
        expectSettled(lead, .leader, lead: 1)
    }

    /// Demoting the transferee to learner (through a joint configuration) ends the transfer.
    /// etcd: TestLeaderTransferDemoteNode.
    @Test func demotingTransfereeEndsTransfer() throws {
        let net = try TestNetwork(fresh: 3)
        net.send(localMessage(.msgHup))
        net.ignore(.msgTimeoutNow)
        let lead = net[1]
        net.send(transferRequest(to: 1, transferee: 3))
        #expect(lead.leadTransferee == 3)
        _ = try lead.applyConfChange(ConfChangeV2(changes: [
            ConfChangeSingle(type: .confChangeRemoveNode, nodeID: 3),
            ConfChangeSingle(type: .confChangeAddLearnerNode, nodeID: 3),
        ]))
        _ = try lead.applyConfChange(ConfChangeV2())
        expectSettled(lead, .leader, lead: 1)
    }

    /// A transfer back to the leader itself cancels a pending transfer.
    /// etcd: TestLeaderTransferBack.
    @Test func transferBackToLeaderCancels() throws {
        let net = try clusterWithIsolatedNode3()
        let lead = net[1]
        net.send(transferRequest(to: 1, transferee: 3))
        #expect(lead.leadTransferee == 3)
        net.send(transferRequest(to: 1, transferee: 1))
        expectSettled(lead, .leader, lead: 1)
    }

    /// A transfer to another node replaces a pending one.
    /// etcd: TestLeaderTransferSecondTransferToAnotherNode.
    @Test func secondTransferToAnotherNode() throws {
        let net = try clusterWithIsolatedNode3()
        let lead = net[1]
        net.send(transferRequest(to: 1, transferee: 3))
        #expect(lead.leadTransferee == 3)
        net.send(transferRequest(to: 1, transferee: 2))
        expectSettled(lead, .follower, lead: 2)
    }

    /// Asking again for the same transferee does not extend the deadline.
    /// etcd: TestLeaderTransferSecondTransferToSameNode.
    @Test func repeatedTransferDoesNotExtendDeadline() throws {
        let net = try clusterWithIsolatedNode3()
        let lead = net[1]
        net.send(transferRequest(to: 1, transferee: 3))
        #expect(lead.leadTransferee == 3)
        lead.tick(times: lead.heartbeatTimeout)
        net.send(transferRequest(to: 1, transferee: 3))
        lead.tick(times: lead.electionTimeout - lead.heartbeatTimeout)
        expectSettled(lead, .leader, lead: 1)
    }

    /// A node with a committed but unapplied conf change neither campaigns on timeout nor on a
    /// transfer; once it has applied it, the transfer succeeds.
    /// etcd: TestConfChangeCheckBeforeCampaign, TestConfChangeV2CheckBeforeCampaign (merged).
    @Test(arguments: [false, true])
    func unappliedConfChangeBlocksCampaign(v2: Bool) throws {
        let net = try TestNetwork(fresh: 3)
        let (n1, n2) = (net[1], net[2])
        net.send(localMessage(.msgHup))
        try #require(n1.state == .leader)
        let removal = ConfChange(type: .confChangeRemoveNode, nodeID: 2)
        let entry = v2 ? confChangeEntry(removal.asV2()) : confChangeEntry(removal)
        net.send(Message(type: .msgProp, to: 1, from: 1, entries: [entry]))

        n2.tick(times: n2.randomizedElectionTimeout)
        #expect(n2.state == .follower)
        net.send(transferRequest(to: 1, transferee: 2))
        #expect(n1.state == .leader)
        #expect(n2.state == .follower)
        n1.tick(times: n1.electionTimeout)

        try n2.nextEnts(net.storage(2))
        net.send(transferRequest(to: 1, transferee: 2))
        #expect(n1.state == .follower)
        #expect(n2.state == .leader)

        try n1.nextEnts(net.storage(1))
        n1.tick(times: n1.randomizedElectionTimeout)
        #expect(n1.state == .candidate)
    }
}
