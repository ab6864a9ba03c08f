import Testing
@testable import Raft

// Linearizable reads (ReadIndex, Raft thesis §6.4): safe mode (a heartbeat round confirms the
// leadership), lease-based mode, reads held until the new leader commits in its term, reads
// forwarded by followers and learners, and the leader's bookkeeping of pending reads.

/// Ten proposals, then a read through each node in turn: the read index is the commit index at
/// the time of the read, and the context comes back unchanged.
private func readThroughEveryNode(_ net: TestNetwork, nodes: [UInt64], afterProposal: () throws -> Void = {}) throws {
    var expectedIndex: UInt64 = 1
    for (k, id) in nodes.enumerated() {
        for _ in 0..<10 {
            net.send(Message(type: .msgProp, to: 1, from: 1, entries: [Entry()]))
            try afterProposal()
        }
        expectedIndex += 10
        let context = bytes("ctx\(k + 1)")
        net.send(Message(type: .msgReadIndex, to: id, from: id, entries: [Entry(data: context)]))
        let r = net[id]
        #expect(r.readStates == [ReadState(index: expectedIndex, requestCtx: context)], "read \(k + 1) through node \(id)")
        r.readStates = []
    }
}

@Suite struct ReadIndexTests {
    /// Safe reads through the leader and through followers.
    /// etcd: TestReadOnlyOptionSafe.
    @Test func safeReads() throws {
        let net = try TestNetwork(fresh: 3)
        let b = net[2]
        b.setRandomizedElectionTimeout(b.electionTimeout + 1)
        b.tick(times: b.electionTimeout)
        net.send(localMessage(.msgHup))
        try #require(net[1].state == .leader)
        try readThroughEveryNode(net, nodes: [1, 2, 3, 1, 2, 3])
    }

    /// Reads through a learner work too; with a single voter the leader answers at once.
    /// etcd: TestReadOnlyWithLearner.
    @Test func safeReadsWithLearner() throws {
        let s = try testStorage(peers: [1], learners: [2])
        let a = try newTestRaft(id: 1, storage: s)
        let b = try newTestRaft(id: 2, peers: [1], learners: [2])
        let net = try TestNetwork([.raft(a), .raft(b)])
        b.setRandomizedElectionTimeout(b.electionTimeout + 1)
        b.tick(times: b.electionTimeout)
        net.send(localMessage(.msgHup))
        try #require(a.state == .leader)
        try readThroughEveryNode(net, nodes: [1, 2, 1, 2]) { try a.nextEnts(s) }
    }

    /// Lease-based reads, answered from the leader's commit index without a heartbeat round.
    /// etcd: TestReadOnlyOptionLease.
    @Test func leaseBasedReads() throws {
        let net = try TestNetwork(fresh: 3) {
            $0.readOnlyOption = .leaseBased
            $0.checkQuorum = true
        }
        let b = net[2]
        b.setRandomizedElectionTimeout(b.electionTimeout + 1)
        b.tick(times: b.electionTimeout)
        net.send(localMessage(.msgHup))
        try #require(net[1].state == .leader)
        try readThroughEveryNode(net, nodes: [1, 2, 3, 1, 2, 3])
    }

    /// In lease mode the leader answers a read without sending anything first.
    @Test func leaseBasedReadNeedsNoHeartbeat() throws {
        let r = try newTestRaft(id: 1, peers: [1, 2, 3]) {
            $0.readOnlyOption = .leaseBased
            $0.checkQuorum = true
        }
        r.becomeLeaderNow()
        try r.raftLog.commitTo(r.raftLog.lastIndex())
        _ = r.readMessages()
        try r.step(Message(type: .msgReadIndex, from: 1, entries: [Entry(data: bytes("now"))]))
        #expect(r.readStates == [ReadState(index: 1, requestCtx: bytes("now"))])
        #expect(r.readMessages().isEmpty)
        try r.step(Message(type: .msgReadIndex, from: 2, entries: [Entry(data: bytes("fwd"))]))
        #expect(r.readMessages() == [
            Message(type: .msgReadIndexResp, to: 2, from: 1, term: 1, index: 1, entries: [Entry(data: bytes("fwd"))]),
        ])
    }

    /// A new leader does not know the commit index until it commits an entry of its term: a read
    /// waits until then, and is answered at that point.
    /// etcd: TestReadOnlyForNewLeader.
    @Test func newLeaderHoldsReadsUntilItCommitsInItsTerm() throws {
        let setups: [(id: UInt64, committed: UInt64, applied: UInt64, compact: UInt64)] = [
            (1, 1, 1, 0), (2, 2, 2, 2), (3, 2, 2, 2),
        ]
        var members: [TestPeer] = []
        for c in setups {
            let storage = try testStorage(peers: [1, 2, 3], entries: logEntries(from: 1, terms: 1, 1),
                                          hardState: HardState(term: 1, commit: c.committed))
            if c.compact != 0 { try storage.compact(c.compact) }
            var config = testConfig(id: c.id, storage: storage)
            config.applied = c.applied
            members.append(.raft(try RaftStateMachine(config: config)))
        }
        let net = try TestNetwork(members)
        // Keep the new leader from committing anything in its term.
        net.ignore(.msgApp)
        net.send(localMessage(.msgHup))
        let lead = net[1]
        try #require(lead.state == .leader)
        let context = bytes("ctx")
        net.send(Message(type: .msgReadIndex, to: 1, from: 1, entries: [Entry(data: context)]))
        #expect(lead.readStates.isEmpty)
        #expect(lead.pendingReadIndexMessages.count == 1)

        net.recover()
        lead.tick(times: lead.heartbeatTimeout)
        net.send(Message(type: .msgProp, to: 1, from: 1, entries: [Entry()]))
        #expect(lead.raftLog.committed == 4)
        #expect(lead.raftLog.zeroTermOnOutOfBounds(lead.raftLog.committed) == lead.term)
        #expect(lead.readStates == [ReadState(index: 4, requestCtx: context)])
        #expect(lead.pendingReadIndexMessages.isEmpty)

        net.send(Message(type: .msgReadIndex, to: 1, from: 1, entries: [Entry(data: context)]))
        #expect(lead.readStates == [ReadState(index: 4, requestCtx: context), ReadState(index: 4, requestCtx: context)])
    }

    /// The leader's queue of pending reads empties once a quorum acknowledges the heartbeat that
    /// carried the read's context.
    /// etcd: TestRaftFreesReadOnlyMem.
    @Test func confirmedReadsAreForgotten() throws {
        let r = try newTestRaft(id: 1, election: 5, storage: testStorage(peers: [1, 2]))
        r.becomeLeaderNow()
        try r.raftLog.commitTo(r.raftLog.lastIndex())
        let context = bytes("ctx")
        try r.step(Message(type: .msgReadIndex, from: 2, entries: [Entry(data: context)]))
        let sent = r.readMessages()
        try #require(sent.count == 1)
        #expect(sent[0].type == .msgHeartbeat && sent[0].context == context)
        #expect(r.readOnly.readIndexQueue == [context])
        #expect(r.readOnly.pendingReadIndex[context] != nil)
        try r.step(Message(type: .msgHeartbeatResp, from: 2, context: context))
        #expect(r.readOnly.readIndexQueue.isEmpty)
        #expect(r.readOnly.pendingReadIndex.isEmpty)
        // The follower that asked gets its answer (and, being behind, the entries it lacks).
        let answers = r.readMessages().filter { $0.type == .msgReadIndexResp }
        #expect(answers == [Message(type: .msgReadIndexResp, to: 2, from: 1, term: 1, index: 1, entries: [Entry(data: context)])])
    }

    /// Acknowledging the newest pending read confirms the older ones too, in order; a read with a
    /// context already pending is not queued twice.
    @Test func acknowledgementConfirmsEarlierReads() throws {
        let r = try newTestRaft(id: 1, peers: [1, 2, 3])
        r.becomeLeaderNow()
        try r.raftLog.commitTo(r.raftLog.lastIndex())
        for ctx in ["a", "b", "b", "c"] {
            try r.step(Message(type: .msgReadIndex, from: 1, entries: [Entry(data: bytes(ctx))]))
        }
        #expect(r.readOnly.readIndexQueue == [bytes("a"), bytes("b"), bytes("c")])
        _ = r.readMessages()
        try r.step(Message(type: .msgHeartbeatResp, from: 3, context: bytes("b")))
        #expect(r.readStates.map(\.requestCtx) == [bytes("a"), bytes("b")])
        #expect(r.readOnly.readIndexQueue == [bytes("c")])
        // An acknowledgement of an unknown context changes nothing.
        try r.step(Message(type: .msgHeartbeatResp, from: 2, context: bytes("zzz")))
        #expect(r.readOnly.readIndexQueue == [bytes("c")])
    }

    /// A follower records the leader's answer to its forwarded read; an answer that does not carry
    /// exactly one entry is malformed and ignored.
    @Test func followerRecordsReadIndexAnswers() throws {
        let r = try newTestRaft(id: 2, peers: [1, 2, 3])
        r.becomeFollower(term: 1, lead: 1)
        try r.step(Message(type: .msgReadIndexResp, to: 2, from: 1, term: 1, index: 7, entries: [Entry(data: bytes("x"))]))
        #expect(r.readStates == [ReadState(index: 7, requestCtx: bytes("x"))])
        try r.step(Message(type: .msgReadIndexResp, to: 2, from: 1, term: 1, index: 8))
        try r.step(Message(type: .msgReadIndexResp, to: 2, from: 1, term: 1, index: 9,
                           entries: [Entry(data: bytes("y")), Entry(data: bytes("z"))]))
        #expect(r.readStates.count == 1)
    }

    /// A follower forwards a read to its leader unchanged; without a leader it drops the read.
    @Test func followerForwardsOrDropsReads() throws {
        let r = try newTestRaft(id: 2, peers: [1, 2, 3])
        try r.step(Message(type: .msgReadIndex, from: 2, entries: [Entry(data: bytes("r"))]))
        #expect(r.readMessages().isEmpty)
        r.becomeFollower(term: 1, lead: 3)
        try r.step(Message(type: .msgReadIndex, from: 2, entries: [Entry(data: bytes("r"))]))
        #expect(r.readMessages() == [Message(type: .msgReadIndex, to: 3, from: 2, entries: [Entry(data: bytes("r"))])])
    }

    /// A single-voter leader answers a read at once with its commit index.
    @Test func singleVoterAnswersAtOnce() throws {
        let net = try TestNetwork(fresh: 1)
        net.send(localMessage(.msgHup))
        net.send(Message(type: .msgReadIndex, to: 1, from: 1, entries: [Entry(data: bytes("solo"))]))
        #expect(net[1].readStates == [ReadState(index: 1, requestCtx: bytes("solo"))])
    }

    /// A read must carry exactly one entry (its context); anything else is refused with an error
    /// rather than crashing the node.
    @Test func malformedReadIsRefused() throws {
        let r = try newTestRaft(id: 1, peers: [1])
        try r.step(localMessage(.msgHup))
        r.advanceMessagesAfterAppend()
        for count in [0, 2] {
            let m = Message(type: .msgReadIndex, from: 1, entries: Array(repeating: Entry(data: bytes("c")), count: count))
            #expect(throws: RaftError.self) { try r.step(m) }
        }
        #expect(r.readStates.isEmpty)
        #expect(r.state == .leader)
    }
}
