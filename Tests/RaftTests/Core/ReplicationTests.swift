import Testing
@testable import Raft

// Replication end to end: proposals reaching every log, commit rules, proposals without a
// leader or through a follower, and messages from deposed leaders.

@Suite struct ReplicationTests {
    /// Proposals (to the first leader, then to a second one) reach every node's log and commit,
    /// and every node applies them in order.
    /// etcd: TestLogReplication.
    @Test func proposalsReplicateAndCommitEverywhere() throws {
        let cases: [([Message], committed: UInt64)] = [
            ([propMessage()], 2),
            ([propMessage(), Message(type: .msgHup, to: 2, from: 1),
              Message(type: .msgProp, to: 2, from: 1, entries: [Entry(data: bytes("somedata"))])], 4),
        ]
        for (k, c) in cases.enumerated() {
            let net = try TestNetwork(fresh: 3)
            net.send(localMessage(.msgHup))
            for m in c.0 { net.send(m) }
            let proposed = c.0.filter { $0.type == .msgProp }.map { $0.entries[0].data }
            for id: UInt64 in 1...3 {
                let r = net[id]
                #expect(r.raftLog.committed == c.committed, "case \(k) node \(id)")
                let applied = try r.nextEnts(net.storage(id)).filter { !$0.data.isEmpty }.map(\.data)
                #expect(applied == proposed, "case \(k) node \(id)")
            }
        }
    }

    /// A learner receives and commits the leader's entries, and the leader tracks its progress.
    /// etcd: TestLearnerLogReplication.
    @Test func learnerReceivesTheLog() throws {
        let n1 = try newTestRaft(id: 1, peers: [1], learners: [2])
        let n2 = try newTestRaft(id: 2, peers: [1], learners: [2])
        let net = try TestNetwork([.raft(n1), .raft(n2)])
        n1.becomeFollower(term: 1, lead: PeerID.none)
        n2.becomeFollower(term: 1, lead: PeerID.none)
        n1.setRandomizedElectionTimeout(n1.electionTimeout)
        n1.tick(times: n1.electionTimeout)
        n1.advanceMessagesAfterAppend()
        net.send(localMessage(.msgBeat))
        #expect(n1.state == .leader)
        #expect(n2.isLearner)
        net.send(propMessage())
        #expect(n1.raftLog.committed == 2)
        #expect(n2.raftLog.committed == n1.raftLog.committed)
        #expect(n1.trk.progress[2]?.match == n2.raftLog.committed)
    }

    /// A single node commits each proposal on its own.
    /// etcd: TestSingleNodeCommit.
    @Test func singleNodeCommits() throws {
        let net = try TestNetwork(fresh: 1)
        net.send(localMessage(.msgHup))
        net.send(propMessage("some data"))
        net.send(propMessage("some data"))
        #expect(net[1].raftLog.committed == 3)
    }

    /// A new leader cannot commit the previous term's entries by counting replicas until an entry
    /// of its own term is replicated (here its empty entry is kept from the others).
    /// etcd: TestCannotCommitWithoutNewTermEntry.
    @Test func previousTermEntriesWaitForACurrentTermEntry() throws {
        let net = try TestNetwork(fresh: 5)
        net.send(localMessage(.msgHup))
        for peer: UInt64 in 3...5 { net.cut(1, peer) }
        net.send(propMessage("some data"))
        net.send(propMessage("some data"))
        #expect(net[1].raftLog.committed == 1)

        net.recover()
        net.ignore(.msgApp)
        net.send(localMessage(.msgHup, node: 2))
        let lead = net[2]
        #expect(lead.state == .leader)
        #expect(lead.raftLog.committed == 1)

        net.recover()
        net.send(localMessage(.msgBeat, node: 2))
        net.send(propMessage("some data", node: 2))
        #expect(lead.raftLog.committed == 5)
    }

    /// When the new leader's empty entry does get replicated, it commits the previous term's
    /// entries with it.
    /// etcd: TestCommitWithoutNewTermEntry.
    @Test func newTermEntryCommitsEarlierEntries() throws {
        let net = try TestNetwork(fresh: 5)
        net.send(localMessage(.msgHup))
        for peer: UInt64 in 3...5 { net.cut(1, peer) }
        net.send(propMessage("some data"))
        net.send(propMessage("some data"))
        #expect(net[1].raftLog.committed == 1)
        net.recover()
        net.send(localMessage(.msgHup, node: 2))
        #expect(net[2].raftLog.committed == 4)
        #expect(net[1].raftLog.committed == 4)
    }

    /// An append from a deposed leader (an older term) is ignored; the logs end up identical.
    /// etcd: TestOldMessages.
    @Test func appendFromDeposedLeaderIsIgnored() throws {
        let net = try TestNetwork(fresh: 3)
        net.send(localMessage(.msgHup, node: 1))
        net.send(localMessage(.msgHup, node: 2))
        net.send(localMessage(.msgHup, node: 1))
        #expect(net[1].state == .leader && net[1].term == 3)
        net.send(Message(type: .msgApp, to: 1, from: 2, term: 2, entries: logEntries(from: 3, terms: 2)))
        net.send(propMessage())
        var expected = logEntries(from: 1, terms: 1, 2, 3, 3)
        expected[3].data = bytes("somedata")
        for id: UInt64 in 1...3 {
            #expect(net[id].raftLog.allEntries() == expected, "node \(id)")
            #expect(net[id].raftLog.committed == 4, "node \(id)")
        }
    }

    /// A proposal commits only where a leader can be elected: with too many silent members there
    /// is none, the proposal is dropped and every log stays empty.
    /// etcd: TestProposal.
    @Test func proposalNeedsALeader() throws {
        let cases: [([TestPeer], Bool)] = [
            ([.fresh, .fresh, .fresh], true),
            ([.fresh, .fresh, .blackHole], true),
            ([.fresh, .blackHole, .blackHole], false),
            ([.fresh, .blackHole, .blackHole, .fresh], false),
            ([.fresh, .blackHole, .blackHole, .fresh, .fresh], true),
        ]
        for (k, (members, succeeds)) in cases.enumerated() {
            let net = try TestNetwork(members)
            net.send(localMessage(.msgHup))
            net.send(propMessage())
            let expected = succeeds ? [Entry(term: 1, index: 1), Entry(term: 1, index: 2, data: bytes("somedata"))] : []
            for id in net.ids where net.peers[id] != nil {
                #expect(net[id].raftLog.allEntries() == expected, "case \(k) node \(id)")
            }
            #expect(net[1].term == 1, "case \(k)")
            let dropped = net.stepErrors.contains { $0.1 == .proposalDropped }
            #expect(dropped == !succeeds, "case \(k)")
        }
    }

    /// A follower forwards a proposal to the leader, which commits it everywhere.
    /// etcd: TestProposalByProxy.
    @Test(arguments: [false, true])
    func proposalThroughFollower(withSilentMember: Bool) throws {
        let net = try TestNetwork([.fresh, .fresh, withSilentMember ? .blackHole : .fresh])
        net.send(localMessage(.msgHup))
        net.send(propMessage(node: 2))
        for id in net.ids where net.peers[id] != nil {
            #expect(net[id].raftLog.allEntries() == [
                Entry(term: 1, index: 1), Entry(term: 1, index: 2, data: bytes("somedata")),
            ], "node \(id)")
        }
        #expect(net[1].term == 1)
    }

    /// The forwarded proposal is the client's message, readdressed to the leader and without a
    /// term (it is not part of the follower's term).
    @Test func forwardedProposalKeepsItsShape() throws {
        let r = try newTestRaft(id: 2, peers: [1, 2, 3])
        r.becomeFollower(term: 3, lead: 1)
        try r.step(Message(type: .msgProp, to: 2, from: 2, entries: [Entry(data: bytes("x"))]))
        #expect(r.readMessages() == [Message(type: .msgProp, to: 1, from: 2, entries: [Entry(data: bytes("x"))])])
    }

    /// Without a known leader, or with forwarding disabled, a follower refuses proposals; a
    /// candidate always does.
    @Test func proposalsDroppedWithoutAWayToTheLeader() throws {
        let noLeader = try newTestRaft(id: 2, peers: [1, 2, 3])
        #expect(throws: RaftError.proposalDropped) { try noLeader.step(propMessage(node: 2)) }

        let noForwarding = try newTestRaft(id: 2, peers: [1, 2, 3]) { $0.disableProposalForwarding = true }
        noForwarding.becomeFollower(term: 1, lead: 1)
        #expect(throws: RaftError.proposalDropped) { try noForwarding.step(propMessage(node: 2)) }
        #expect(noForwarding.readMessages().isEmpty)

        let candidate = try newTestRaft(id: 2, peers: [1, 2, 3])
        candidate.becomeCandidate()
        _ = candidate.readMessages()
        #expect(throws: RaftError.proposalDropped) { try candidate.step(propMessage(node: 2)) }
        #expect(candidate.readMessages().isEmpty)
    }

    /// With forwarding disabled, a proposal through a follower goes nowhere in a live cluster.
    /// etcd: TestDisableProposalForwarding.
    @Test func disabledForwardingKeepsProposalLocal() throws {
        let net = try TestNetwork(fresh: 3) { $0.disableProposalForwarding = true }
        net.send(localMessage(.msgHup))
        net.send(propMessage(node: 2))
        for id: UInt64 in 1...3 {
            #expect(net[id].raftLog.lastIndex() == 1, "node \(id)")
        }
        #expect(net.stepErrors.map(\.1) == [.proposalDropped])
    }

    /// `maybeCommit` commits the highest index held by a quorum, but only if that entry is of the
    /// current term.
    /// etcd: TestCommit.
    @Test(arguments: [
        // Single voter.
        ([1], [1], 1, 1), ([1], [1], 2, 0), ([2], [1, 2], 2, 2), ([1], [2], 2, 1),
        // Odd number of voters.
        ([2, 1, 1], [1, 2], 1, 1), ([2, 1, 1], [1, 1], 2, 0), ([2, 1, 2], [1, 2], 2, 2), ([2, 1, 2], [1, 1], 2, 0),
        // Even number of voters.
        ([2, 1, 1, 1], [1, 2], 1, 1), ([2, 1, 1, 1], [1, 1], 2, 0), ([2, 1, 1, 2], [1, 2], 1, 1),
        ([2, 1, 1, 2], [1, 1], 2, 0), ([2, 1, 2, 2], [1, 2], 2, 2), ([2, 1, 2, 2], [1, 1], 2, 0),
    ] as [([UInt64], [UInt64], UInt64, UInt64)])
    func commitRule(matches: [UInt64], logTerms: [UInt64], term: UInt64, committed: UInt64) throws {
        let storage = try testStorage(peers: [1], entries: logEntries(from: 1, termList: logTerms), hardState: HardState(term: term))
        let r = try newTestRaft(id: 1, heartbeat: 2, storage: storage)
        for (k, match) in matches.enumerated() {
            let id = UInt64(k + 1)
            if id > 1 { _ = try r.applyConfChange(ConfChange(type: .confChangeAddNode, nodeID: id).asV2()) }
            let pr = try #require(r.trk.progress[id])
            pr.match = match
            pr.next = match + 1
        }
        _ = r.maybeCommit()
        #expect(r.raftLog.committed == committed)
    }

    /// Lowering the quorum by removing a node commits what the remaining nodes already hold.
    /// etcd: TestCommitAfterRemoveNode.
    @Test func removingANodeCommitsPendingEntries() throws {
        let s = try testStorage(peers: [1, 2])
        let r = try newTestRaft(id: 1, election: 5, storage: s)
        r.becomeLeaderNow()
        let removal = ConfChange(type: .confChangeRemoveNode, nodeID: 2)
        try r.step(Message(type: .msgProp, entries: [confChangeEntry(removal)]))
        #expect(try r.nextEnts(s).isEmpty)
        let ccIndex = r.raftLog.lastIndex()

        try r.step(Message(type: .msgProp, entries: [Entry(data: bytes("hello"))]))
        try r.step(Message(type: .msgAppResp, from: 2, index: ccIndex))
        let first = try r.nextEnts(s)
        #expect(first.map(\.type) == [.entryNormal, .entryConfChange])
        #expect(first.first?.data.isEmpty == true)

        _ = try r.applyConfChange(removal.asV2())
        let second = try r.nextEnts(s)
        #expect(second.map(\.type) == [.entryNormal])
        #expect(second.first?.data == bytes("hello"))
    }
}
