import Testing
@testable import Raft

// Membership changes at the state machine: one pending conf change at a time, the leader's
// propose-time checks, applying changes (voters, learners, promotion, demotion, removal), and a
// leader removed from its own configuration.

@Suite struct ConfChangeTests {
    /// A proposed conf change is appended and becomes the pending one.
    /// etcd: TestStepConfig.
    @Test func proposedConfChangeIsPending() throws {
        let r = try newTestRaft(id: 1, peers: [1, 2])
        r.becomeLeaderNow()
        let index = r.raftLog.lastIndex()
        try r.step(Message(type: .msgProp, to: 1, from: 1, entries: [Entry(type: .entryConfChange)]))
        #expect(r.raftLog.lastIndex() == index + 1)
        #expect(r.pendingConfIndex == index + 1)
    }

    /// While one conf change is pending (not yet applied), another is replaced by an empty normal
    /// entry, keeping its place in the log.
    /// etcd: TestStepIgnoreConfig.
    @Test func secondConfChangeIsNeutralized() throws {
        let r = try newTestRaft(id: 1, peers: [1, 2])
        r.becomeLeaderNow()
        try r.step(Message(type: .msgProp, to: 1, from: 1, entries: [Entry(type: .entryConfChange)]))
        let index = r.raftLog.lastIndex()
        let pending = r.pendingConfIndex
        try r.step(Message(type: .msgProp, to: 1, from: 1, entries: [Entry(type: .entryConfChange)]))
        #expect(try r.raftLog.entries(from: index + 1, maxSize: .unlimited) == [Entry(term: 1, index: 3)])
        #expect(r.pendingConfIndex == pending)
    }

    /// A new leader assumes a conf change may hide in its uncommitted tail: the pending index
    /// starts at its last index.
    /// etcd: TestNewLeaderPendingConfig.
    @Test(arguments: [(false, UInt64(0)), (true, 1)] as [(Bool, UInt64)])
    func newLeaderAssumesPendingConfChange(withEntry: Bool, pending: UInt64) throws {
        let r = try newTestRaft(id: 1, peers: [1, 2])
        if withEntry { r.mustAppendEntry(Entry()) }
        r.becomeLeaderNow()
        #expect(r.pendingConfIndex == pending)
    }

    /// The leader's checks against the active configuration: no simple change while joint, no
    /// leaving a joint configuration that is not joint. A refused change becomes an empty entry;
    /// with validation disabled, it goes into the log as proposed.
    @Test(arguments: [false, true])
    func proposeTimeValidation(disabled: Bool) throws {
        let r = try newTestRaft(id: 1, peers: [1, 2]) { $0.disableConfChangeValidation = disabled }
        r.becomeLeaderNow()
        let leave = confChangeEntry(ConfChangeV2())
        try r.step(Message(type: .msgProp, to: 1, from: 1, entries: [leave]))
        let proposed = try #require(r.raftLog.allEntries().last)
        #expect(proposed.type == (disabled ? .entryConfChangeV2 : .entryNormal))

        // Enter a joint configuration, then propose a simple change.
        let r2 = try newTestRaft(id: 1, peers: [1, 2]) { $0.disableConfChangeValidation = disabled }
        _ = try r2.applyConfChange(ConfChangeV2(transition: .jointExplicit, changes: [
            ConfChangeSingle(type: .confChangeAddNode, nodeID: 3),
        ]))
        r2.becomeLeaderNow()
        try r2.step(Message(type: .msgProp, to: 1, from: 1,
                            entries: [confChangeEntry(ConfChange(type: .confChangeAddNode, nodeID: 4))]))
        let simple = try #require(r2.raftLog.allEntries().last)
        #expect(simple.type == (disabled ? .entryConfChange : .entryNormal))
    }

    /// A proposal with an undecodable conf change is refused as a whole, with an error.
    @Test func malformedConfChangeIsRefused() throws {
        let r = try newTestRaft(id: 1, peers: [1, 2])
        r.becomeLeaderNow()
        let last = r.raftLog.lastIndex()
        let garbage = Entry(type: .entryConfChangeV2, data: [0xFF, 0xFF, 0xFF])
        #expect(throws: RaftError.self) {
            try r.step(Message(type: .msgProp, to: 1, from: 1, entries: [Entry(data: bytes("ok")), garbage]))
        }
        #expect(r.raftLog.lastIndex() == last)
    }

    /// Adding a voter.
    /// etcd: TestAddNode.
    @Test func addVoter() throws {
        let r = try newTestRaft(id: 1, peers: [1])
        let cs = try r.applyConfChange(ConfChange(type: .confChangeAddNode, nodeID: 2).asV2())
        #expect(r.trk.voterNodes() == [1, 2])
        #expect(cs == ConfState(voters: [1, 2]))
    }

    /// Adding a learner, promoting it, demoting ourselves and promoting ourselves back.
    /// etcd: TestAddLearner.
    @Test func learnersComeAndGo() throws {
        let r = try newTestRaft(id: 1, peers: [1])
        _ = try r.applyConfChange(ConfChange(type: .confChangeAddLearnerNode, nodeID: 2).asV2())
        #expect(!r.isLearner)
        #expect(r.trk.learnerNodes() == [2])
        #expect(r.trk.progress[2]?.isLearner == true)

        _ = try r.applyConfChange(ConfChange(type: .confChangeAddNode, nodeID: 2).asV2())
        #expect(r.trk.progress[2]?.isLearner == false)

        _ = try r.applyConfChange(ConfChange(type: .confChangeAddLearnerNode, nodeID: 1).asV2())
        #expect(r.trk.progress[1]?.isLearner == true)
        #expect(r.isLearner)
        #expect(!r.promotable())

        _ = try r.applyConfChange(ConfChange(type: .confChangeAddNode, nodeID: 1).asV2())
        #expect(r.trk.progress[1]?.isLearner == false)
        #expect(!r.isLearner)
        #expect(r.promotable())
    }

    /// Removing a voter or learner; removing the last voter is refused (etcd panics).
    /// etcd: TestRemoveNode, TestRemoveLearner (merged).
    @Test(arguments: [false, true])
    func removeNode(secondIsLearner: Bool) throws {
        let r = secondIsLearner
            ? try newTestRaft(id: 1, peers: [1], learners: [2])
            : try newTestRaft(id: 1, peers: [1, 2])
        _ = try r.applyConfChange(ConfChange(type: .confChangeRemoveNode, nodeID: 2).asV2())
        #expect(r.trk.voterNodes() == [1])
        #expect(r.trk.learnerNodes() == [])
        #expect(throws: ConfChangeError.removedAllVoters) {
            _ = try r.applyConfChange(ConfChange(type: .confChangeRemoveNode, nodeID: 1).asV2())
        }
        #expect(r.trk.voterNodes() == [1])
    }

    /// Only a voter of the configuration may campaign.
    /// etcd: TestPromotable.
    @Test(arguments: [([1], true), ([1, 2, 3], true), ([], false), ([2, 3], false)] as [([UInt64], Bool)])
    func promotable(peers: [UInt64], expected: Bool) throws {
        let r = try newTestRaft(id: 1, peers: peers, election: 5)
        #expect(r.promotable() == expected)
    }

    /// The voter list is sorted whatever order the configuration gave.
    /// etcd: TestRaftNodes.
    @Test(arguments: [[UInt64](arrayLiteral: 1, 2, 3), [3, 2, 1]])
    func voterNodesAreSorted(_ ids: [UInt64]) throws {
        let r = try newTestRaft(id: 1, peers: ids)
        #expect(r.trk.voterNodes() == [1, 2, 3])
    }

    /// A leader removed from (or demoted in) the configuration steps down only when configured to;
    /// either way it takes no more proposals while not a voter.
    @Test(arguments: [false, true], [false, true])
    func leaderRemovedFromConfiguration(stepDown: Bool, demote: Bool) throws {
        let r = try newTestRaft(id: 1, peers: [1, 2]) { $0.stepDownOnRemoval = stepDown }
        r.becomeLeaderNow()
        if demote {
            _ = try r.applyConfChange(ConfChangeV2(changes: [
                ConfChangeSingle(type: .confChangeRemoveNode, nodeID: 1),
                ConfChangeSingle(type: .confChangeAddLearnerNode, nodeID: 1),
            ]))
            _ = try r.applyConfChange(ConfChangeV2())
            #expect(r.isLearner)
        } else {
            _ = try r.applyConfChange(ConfChange(type: .confChangeRemoveNode, nodeID: 1).asV2())
            #expect(r.trk.progress[1] == nil)
        }
        #expect(r.state == (stepDown ? .follower : .leader))
        if !stepDown && !demote {
            #expect(throws: RaftError.proposalDropped) { try r.step(propMessage()) }
        }
        // Whatever happened, it may not campaign any more.
        r.becomeFollower(term: r.term, lead: PeerID.none)
        try r.step(localMessage(.msgHup))
        #expect(r.state == .follower)
    }

    /// Applying a conf change that adds a member makes the leader probe it at once.
    @Test func leaderProbesNewMemberRightAway() throws {
        let r = try newTestRaft(id: 1, peers: [1])
        try r.step(localMessage(.msgHup))
        r.advanceMessagesAfterAppend()
        try #require(r.state == .leader)
        _ = r.readMessages()
        _ = try r.applyConfChange(ConfChange(type: .confChangeAddNode, nodeID: 2).asV2())
        let sent = r.readMessages()
        #expect(sent.map(\.type) == [.msgApp])
        #expect(sent.map(\.to) == [2])
    }

    /// Applying a change that shrinks the quorum commits what the remaining voters already hold.
    @Test func shrinkingQuorumCommits() throws {
        let r = try newTestRaft(id: 1, peers: [1, 2, 3])
        r.becomeLeaderNow()
        try r.step(propMessage())
        r.advanceMessagesAfterAppend()
        try r.step(Message(type: .msgAppResp, from: 2, term: r.term, index: 2))
        #expect(r.raftLog.committed == 2)
        try r.step(propMessage())
        r.advanceMessagesAfterAppend()
        #expect(r.raftLog.committed == 2)
        _ = try r.applyConfChange(ConfChangeV2(changes: [
            ConfChangeSingle(type: .confChangeRemoveNode, nodeID: 2),
            ConfChangeSingle(type: .confChangeRemoveNode, nodeID: 3),
        ]))
        // Joint: the old voters (1, 2, 3) still need a majority.
        #expect(r.raftLog.committed == 2)
        _ = try r.applyConfChange(ConfChangeV2())
        #expect(r.raftLog.committed == 3)
    }
}
