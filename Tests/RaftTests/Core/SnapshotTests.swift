import Testing
@testable import Raft

// Snapshots: the leader sending one to a follower too far behind (and pausing replication until
// it is reported), and a follower restoring one, including memberships with learners, joint
// configurations, and memberships that do not contain the follower.

/// A snapshot at index 11, term 11 with the given membership.
private func snapshot(_ cs: ConfState, index: UInt64 = 11, term: UInt64 = 11) -> Snapshot {
    Snapshot(metadata: SnapshotMetadata(confState: cs, index: index, term: term))
}

/// A leader (node 1 of [1, 2]) whose log was restored from the snapshot at 11 (term 11), so that
/// everything before index 12 is compacted.
private func leaderAfterSnapshot(peers: [UInt64] = [1]) throws -> RaftStateMachine {
    let r = try newTestRaft(id: 1, peers: peers)
    r.becomeFollower(term: 11, lead: PeerID.none)
    try #require(try r.restore(snapshot(ConfState(voters: [1, 2]))))
    r.becomeLeaderNow()
    return r
}

@Suite struct SnapshotTests {
    // MARK: - Sending

    /// A follower that needs compacted entries gets a snapshot, which the leader records as
    /// pending.
    /// etcd: TestSendingSnapshotSetPendingSnapshot.
    @Test func sendingSnapshotMarksItPending() throws {
        let r = try leaderAfterSnapshot()
        let pr = try #require(r.trk.progress[2])
        pr.next = r.raftLog.firstIndex()
        try r.step(Message(type: .msgAppResp, to: 1, from: 2, index: pr.next - 1, reject: true))
        #expect(pr.pendingSnapshot == 11)
        #expect(pr.state == .snapshot)
        let sent = r.readMessages()
        #expect(sent.map(\.type) == [.msgSnap])
        #expect(sent.first?.snapshot?.metadata.index == 11)
    }

    /// No appends go to a follower while its snapshot is pending.
    /// etcd: TestPendingSnapshotPauseReplication.
    @Test func pendingSnapshotPausesReplication() throws {
        let r = try leaderAfterSnapshot(peers: [1, 2])
        try #require(r.trk.progress[2]).becomeSnapshot(11)
        try r.step(propMessage())
        #expect(r.readMessages().isEmpty)
    }

    /// A failed snapshot is forgotten and the follower probed from where it was, after a pause.
    /// etcd: TestSnapshotFailure.
    @Test func failedSnapshotIsForgotten() throws {
        let r = try leaderAfterSnapshot(peers: [1, 2])
        let pr = try #require(r.trk.progress[2])
        pr.next = 1
        pr.becomeSnapshot(11)
        try r.step(Message(type: .msgSnapStatus, to: 1, from: 2, reject: true))
        #expect(pr.pendingSnapshot == 0)
        #expect(pr.next == 1)
        #expect(pr.msgAppFlowPaused)
        #expect(pr.state == .probe)
    }

    /// A delivered snapshot moves the follower past it, paused until it answers.
    /// etcd: TestSnapshotSucceed.
    @Test func succeededSnapshotMovesPastIt() throws {
        let r = try leaderAfterSnapshot(peers: [1, 2])
        let pr = try #require(r.trk.progress[2])
        pr.next = 1
        pr.becomeSnapshot(11)
        try r.step(Message(type: .msgSnapStatus, to: 1, from: 2, reject: false))
        #expect(pr.pendingSnapshot == 0)
        #expect(pr.next == 12)
        #expect(pr.msgAppFlowPaused)
    }

    /// A report of snapshot status for a follower not waiting for one changes nothing.
    @Test func snapshotStatusOutsideSnapshotStateIsIgnored() throws {
        let r = try leaderAfterSnapshot(peers: [1, 2])
        let pr = try #require(r.trk.progress[2])
        let before = pr.clone()
        try r.step(Message(type: .msgSnapStatus, to: 1, from: 2, reject: true))
        try r.step(Message(type: .msgSnapStatus, to: 1, from: 2, reject: false))
        #expect(pr == before)
    }

    /// An acknowledgement at or past the snapshot index ends the snapshot state: the follower
    /// replicates again and gets the leader's empty entry at once.
    /// etcd: TestSnapshotAbort.
    @Test func appendAckAbortsPendingSnapshot() throws {
        let r = try leaderAfterSnapshot(peers: [1, 2])
        let pr = try #require(r.trk.progress[2])
        pr.next = 1
        pr.becomeSnapshot(11)
        try r.step(Message(type: .msgAppResp, to: 1, from: 2, index: 11))
        #expect(pr.pendingSnapshot == 0)
        #expect(pr.state == .replicate)
        #expect(pr.next == 13)
        #expect(pr.inflights.count == 1)
    }

    /// The leader sends the snapshot when the follower rejects an append below its first index.
    /// etcd: TestProvideSnap.
    @Test func leaderProvidesSnapshot() throws {
        let r = try newTestRaft(id: 1, peers: [1])
        #expect(try r.restore(snapshot(ConfState(voters: [1, 2]))))
        r.becomeLeaderNow()
        let pr = try #require(r.trk.progress[2])
        pr.next = r.raftLog.firstIndex()
        try r.step(Message(type: .msgAppResp, to: 1, from: 2, index: pr.next - 1, reject: true))
        #expect(r.readMessages().map(\.type) == [.msgSnap])
    }

    /// No snapshot goes to a follower that has not been heard from recently.
    /// etcd: TestIgnoreProvidingSnap.
    @Test func noSnapshotForInactiveFollower() throws {
        let r = try newTestRaft(id: 1, peers: [1])
        #expect(try r.restore(snapshot(ConfState(voters: [1, 2]))))
        r.becomeLeaderNow()
        let pr = try #require(r.trk.progress[2])
        pr.next = r.raftLog.firstIndex() - 1
        pr.recentActive = false
        try r.step(propMessage())
        #expect(r.readMessages().isEmpty)
        #expect(pr.state == .probe)
    }

    /// A node cut off while the leader compacted its log catches up through a snapshot.
    /// etcd: TestSlowNodeRestore.
    @Test func slowNodeCatchesUpThroughSnapshot() throws {
        let net = try TestNetwork(fresh: 3)
        net.send(localMessage(.msgHup))
        net.isolate(3)
        for _ in 0...100 { net.send(Message(type: .msgProp, to: 1, from: 1, entries: [Entry()])) }
        let lead = net[1]
        try lead.nextEnts(net.storage(1))
        _ = try net.storage(1).createSnapshot(lead.raftLog.applied, confState: ConfState(voters: lead.trk.voterNodes()), data: [])
        try net.storage(1).compact(lead.raftLog.applied)
        net.recover()
        // The leader only sends snapshots to nodes it has heard from.
        var beats = 0
        repeat {
            net.send(localMessage(.msgBeat))
            beats += 1
        } while lead.trk.progress[3]?.recentActive != true && beats < 100
        net.send(Message(type: .msgProp, to: 1, from: 1, entries: [Entry()]))
        net.send(Message(type: .msgProp, to: 1, from: 1, entries: [Entry()]))
        let follower = net[3]
        #expect(follower.raftLog.committed == lead.raftLog.committed)
        #expect(follower.raftLog.lastIndex() == lead.raftLog.lastIndex())
    }

    // MARK: - Restoring

    /// A follower restores a newer snapshot: its log restarts after it, it adopts its membership,
    /// and it does not campaign before the snapshot is applied. The same snapshot again is ignored.
    /// etcd: TestRestore.
    @Test func followerRestoresSnapshot() throws {
        let r = try newTestRaft(id: 1, peers: [1, 2])
        let s = snapshot(ConfState(voters: [1, 2, 3]))
        #expect(try r.restore(s))
        #expect(r.raftLog.lastIndex() == 11)
        #expect(try r.raftLog.term(11) == 11)
        #expect(r.trk.voterNodes() == [1, 2, 3])
        #expect(try !r.restore(s))
        r.tick(times: r.randomizedElectionTimeout)
        #expect(r.state == .follower)
    }

    /// A snapshot with learners makes them learners.
    /// etcd: TestRestoreWithLearner.
    @Test func restoreWithLearners() throws {
        let r = try newTestRaft(id: 3, peers: [1, 2], learners: [3], election: 8, heartbeat: 2)
        let s = snapshot(ConfState(voters: [1, 2], learners: [3]))
        #expect(try r.restore(s))
        #expect(r.raftLog.lastIndex() == 11)
        #expect(r.trk.voterNodes() == [1, 2])
        #expect(r.trk.learnerNodes() == [3])
        for id: UInt64 in [1, 2] { #expect(r.trk.progress[id]?.isLearner == false) }
        #expect(r.trk.progress[3]?.isLearner == true)
        #expect(try !r.restore(s))
    }

    /// An outgoing voter of a joint configuration restores the snapshot.
    /// etcd: TestRestoreWithVotersOutgoing.
    @Test func restoreWithOutgoingVoters() throws {
        let r = try newTestRaft(id: 1, peers: [1, 2])
        let s = snapshot(ConfState(voters: [2, 3, 4], votersOutgoing: [1, 2, 3]))
        #expect(try r.restore(s))
        #expect(r.raftLog.lastIndex() == 11)
        #expect(r.trk.voterNodes() == [1, 2, 3, 4])
        #expect(try !r.restore(s))
        r.tick(times: r.randomizedElectionTimeout)
        #expect(r.state == .follower)
    }

    /// A voter accepts a snapshot that makes it a learner (a removal and re-addition compressed
    /// into one snapshot); a learner accepts one that makes it a voter.
    /// etcd: TestRestoreVoterToLearner, TestRestoreLearnerPromotion (merged).
    @Test func restoreChangesOwnRole() throws {
        let voter = try newTestRaft(id: 3, peers: [1, 2, 3])
        #expect(!voter.isLearner)
        #expect(try voter.restore(snapshot(ConfState(voters: [1, 2], learners: [3]))))
        #expect(voter.isLearner)

        let learner = try newTestRaft(id: 3, peers: [1, 2], learners: [3])
        #expect(learner.isLearner)
        #expect(try learner.restore(snapshot(ConfState(voters: [1, 2, 3]))))
        #expect(!learner.isLearner)
    }

    /// A learner receives the leader's snapshot and commits as far as the leader.
    /// etcd: TestLearnerReceiveSnapshot.
    @Test func learnerReceivesSnapshot() throws {
        let store = try testStorage(peers: [1], learners: [2])
        let n1 = try newTestRaft(id: 1, storage: store)
        let n2 = try newTestRaft(id: 2, peers: [1], learners: [2])
        #expect(try n1.restore(snapshot(ConfState(voters: [1], learners: [2]))))
        let snap = try #require(n1.raftLog.nextUnstableSnapshot())
        try store.applySnapshot(snap)
        try n1.appliedSnap(snap)
        let net = try TestNetwork([.raft(n1), .raft(n2)])
        n1.setRandomizedElectionTimeout(n1.electionTimeout)
        n1.tick(times: n1.electionTimeout)
        net.send(localMessage(.msgBeat))
        #expect(n1.state == .leader)
        #expect(n2.raftLog.committed == n1.raftLog.committed)
        #expect(n2.raftLog.committed > 11)
    }

    /// A snapshot at or below the commit index is ignored; one the log already holds only moves
    /// the commit index forward.
    /// etcd: TestRestoreIgnoreSnapshot.
    @Test func restoreIgnoresWhatTheLogHas() throws {
        let r = try newTestRaft(id: 1, peers: [1, 2])
        try r.raftLog.append(logEntries(from: 1, terms: 1, 1, 1))
        try r.raftLog.commitTo(1)
        #expect(try !r.restore(snapshot(ConfState(voters: [1, 2]), index: 1, term: 1)))
        #expect(r.raftLog.committed == 1)
        #expect(try !r.restore(snapshot(ConfState(voters: [1, 2]), index: 2, term: 1)))
        #expect(r.raftLog.committed == 2)
        #expect(r.raftLog.lastIndex() == 3)
    }

    /// A snapshot message from a leader of a newer term makes it our leader.
    /// etcd: TestRestoreFromSnapMsg.
    @Test func snapshotMessageNamesTheLeader() throws {
        let r = try newTestRaft(id: 2, peers: [1, 2])
        try r.step(Message(type: .msgSnap, to: 2, from: 1, term: 2, snapshot: snapshot(ConfState(voters: [1, 2]))))
        #expect(r.lead == 1)
        #expect(r.term == 2)
        #expect(r.raftLog.lastIndex() == 11)
        #expect(r.readMessages() == [Message(type: .msgAppResp, to: 1, from: 2, term: 2, index: 11)])
    }

    /// A snapshot whose membership does not contain this node is ignored (it would leave the node
    /// without its own progress); the leader is told where the follower really is.
    @Test func snapshotWithoutThisNodeIsIgnored() throws {
        let r = try newTestRaft(id: 2, peers: [1, 2])
        try r.step(Message(type: .msgSnap, to: 2, from: 1, term: 2, snapshot: snapshot(ConfState(voters: [1, 3]))))
        #expect(r.raftLog.lastIndex() == 0)
        #expect(r.trk.voterNodes() == [1, 2])
        #expect(r.readMessages() == [Message(type: .msgAppResp, to: 1, from: 2, term: 2, index: 0)])
    }

    /// A snapshot with an impossible membership (a node both voter and learner) is refused with an
    /// error and changes nothing (etcd would crash).
    @Test func snapshotWithInvalidMembershipIsRefused() throws {
        let r = try newTestRaft(id: 2, peers: [1, 2])
        let bad = snapshot(ConfState(voters: [1, 2], learners: [2]))
        #expect(throws: RaftError.self) {
            try r.step(Message(type: .msgSnap, to: 2, from: 1, term: 2, snapshot: bad))
        }
        #expect(r.raftLog.lastIndex() == 0)
        #expect(r.raftLog.committed == 0)
        #expect(r.trk.voterNodes() == [1, 2])
    }

    /// A snapshot at the last representable index leaves no room for entries after it; it is
    /// refused with an error.
    @Test func snapshotAtLastPossibleIndexIsRefused() throws {
        let r = try newTestRaft(id: 2, peers: [1, 2])
        let bad = snapshot(ConfState(voters: [1, 2]), index: .max, term: 1)
        #expect(throws: RaftError.self) {
            try r.step(Message(type: .msgSnap, to: 2, from: 1, term: 2, snapshot: bad))
        }
        #expect(r.raftLog.lastIndex() == 0)
        #expect(r.raftLog.committed == 0)
    }

    /// Only followers restore snapshots: asked anyway, a candidate gives up its candidacy for the
    /// next term and ignores the snapshot.
    @Test func candidateDoesNotRestore() throws {
        let r = try newTestRaft(id: 1, peers: [1, 2])
        r.becomeCandidate()
        #expect(try !r.restore(snapshot(ConfState(voters: [1, 2]))))
        #expect(r.state == .follower)
        #expect(r.term == 2)
        #expect(r.raftLog.lastIndex() == 0)
    }
}
