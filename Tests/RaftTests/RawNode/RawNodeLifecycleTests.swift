import RaftTesting
import Testing
@testable import Raft

// Starting a RawNode (bootstrapped through a snapshot or by `bootstrap`), restarting it from what
// storage holds, and reading its status.

@Suite struct RawNodeLifecycleTests {
    /// A node bootstrapped by storing its membership in a snapshot at index 1 (so that the log
    /// starts at 2) has nothing to do until it campaigns; then its entries flow through the
    /// Readies: persist first, apply next.
    /// etcd: TestRawNodeStart.
    @Test func startFromBootstrapSnapshot() throws {
        let storage = MemoryStorage()
        try storage.applySnapshot(Snapshot(metadata: SnapshotMetadata(confState: ConfState(voters: [1]), index: 1, term: 0)))
        #expect(storage.firstIndex() == 2)
        #expect(throws: StorageError.self) { _ = try storage.entries(2, 2, maxSize: noLimit) }

        let rn = try newTestRawNode(id: 1, storage: storage)
        #expect(!rn.hasReady())
        try rn.campaign()
        var rd = rn.ready()
        try storage.append(rd.entries)
        rn.advance(rd)
        try rn.propose(bytes("foo"))
        #expect(rn.hasReady())

        let expected = [Entry(term: 1, index: 2), Entry(term: 1, index: 3, data: bytes("foo"))]
        rd = rn.ready()
        #expect(rd.entries == expected)
        #expect(rd.mustSync)
        try storage.append(rd.entries)
        rn.advance(rd)

        #expect(rn.hasReady())
        rd = rn.ready()
        #expect(rd.entries.isEmpty)
        #expect(!rd.mustSync)
        #expect(rd.hardState == HardState(term: 1, vote: 1, commit: 3))
        #expect(rd.committedEntries == expected)
        #expect(rd.messages.isEmpty && rd.readStates.isEmpty && rd.snapshot.isEmpty)
        rn.advance(rd)
        #expect(!rn.hasReady())
    }

    /// A restarted node hands out the committed entries it has not applied, and nothing else: no
    /// hard state (unchanged), nothing to persist.
    /// etcd: TestRawNodeRestart.
    @Test func restartHandsOutCommittedEntries() throws {
        let entries = [Entry(term: 1, index: 1), Entry(term: 1, index: 2, data: bytes("foo"))]
        let storage = try testStorage(peers: [1], entries: entries, hardState: HardState(term: 1, commit: 1))
        let rn = try newTestRawNode(id: 1, storage: storage)
        let rd = rn.ready()
        #expect(rd.hardState.isEmpty)
        #expect(rd.softState == nil)
        #expect(rd.committedEntries == Array(entries.prefix(1)))
        #expect(!rd.mustSync)
        #expect(rd.entries.isEmpty && rd.messages.isEmpty)
        rn.advance(rd)
        #expect(!rn.hasReady())
    }

    /// Restarting after a snapshot: only the entries after it are handed out.
    /// etcd: TestRawNodeRestartFromSnapshot.
    @Test func restartFromSnapshot() throws {
        let storage = MemoryStorage()
        storage.setHardState(HardState(term: 1, commit: 3))
        try storage.applySnapshot(Snapshot(metadata: SnapshotMetadata(confState: ConfState(voters: [1, 2]), index: 2, term: 1)))
        let entries = [Entry(term: 1, index: 3, data: bytes("foo"))]
        try storage.append(entries)
        let rn = try newTestRawNode(id: 1, storage: storage)
        let rd = rn.ready()
        #expect(rd.hardState.isEmpty)
        #expect(rd.committedEntries == entries)
        #expect(!rd.mustSync)
        rn.advance(rd)
        #expect(!rn.hasReady())
    }

    /// Restarting with `applied` set: entries the application already applied are not handed out
    /// again.
    @Test func restartWithApplied() throws {
        let entries = logEntries(from: 1, terms: 1, 1, 1, 1)
        let storage = try testStorage(peers: [1], entries: entries, hardState: HardState(term: 1, commit: 3))
        let rn = try newTestRawNode(id: 1, storage: storage) { $0.applied = 2 }
        #expect(rn.basicStatus().applied == 2)
        let rd = rn.ready()
        #expect(rd.committedEntries == [entries[2]])
        rn.advance(rd)
        #expect(rn.basicStatus().applied == 3)
        #expect(!rn.hasReady())
    }

    /// A hard state whose commit index is beyond the log cannot be loaded.
    @Test func restartWithCommitBeyondLogFails() throws {
        let storage = try testStorage(peers: [1], entries: logEntries(from: 1, terms: 1), hardState: HardState(term: 1, commit: 5))
        #expect(throws: RaftError.storage(.invalidIndex("1 state.commit 5 is out of range [0, 1]"))) {
            _ = try newTestRawNode(id: 1, storage: storage)
        }
    }

    /// Status: no progress map unless leading; the leader's map holds its own progress; the
    /// configuration is reported.
    /// etcd: TestRawNodeStatus.
    @Test func status() throws {
        let s = try testStorage(peers: [1])
        let rn = try newTestRawNode(id: 1, storage: s)
        #expect(rn.status().progress.isEmpty)
        try rn.campaign()
        let rd = rn.ready()
        try s.append(rd.entries)
        rn.advance(rd)
        let status = rn.status()
        #expect(status.softState.lead == 1)
        #expect(status.softState.raftState == .leader)
        let own = try #require(rn.raft.trk.progress[1])
        #expect(status.progress[1] == ProgressStatus(own))
        #expect(status.config == ProgressTracker.Config(voters: JointConfig(incoming: [1])))
        #expect(status.id == 1)
        #expect(status.hardState == HardState(term: 1, vote: 1, commit: 0))
    }

    /// BasicStatus carries the ids, states, applied index and transferee without a progress map;
    /// WithProgress visits every member in id order.
    @Test func basicStatusAndProgressVisit() throws {
        let rn = try newTestRawNode(id: 1, storage: testStorage(peers: [1, 2, 3]))
        let basic = rn.basicStatus()
        #expect(basic.id == 1 && basic.term == 0 && basic.vote == 0 && basic.commit == 0)
        #expect(basic.lead == PeerID.none && basic.raftState == .follower)
        #expect(basic.applied == 0 && basic.leadTransferee == PeerID.none)

        var visited: [UInt64] = []
        rn.withProgress { id, _ in visited.append(id) }
        #expect(visited == [1, 2, 3])

        try rn.campaign()
        rn.transferLeader(2)
        #expect(rn.basicStatus().leadTransferee == PeerID.none)
    }

    /// Status text is etcd's JSON, with ids in hex and progress only on the leader.
    @Test func statusDescription() throws {
        let s = try testStorage(peers: [1])
        let rn = try newTestRawNode(id: 1, storage: s)
        #expect(rn.status().description
            == #"{"id":"1","term":0,"vote":"0","commit":0,"lead":"0","raftState":"StateFollower","applied":0,"progress":{},"leadtransferee":"0"}"#)
        try electSingleNode(rn, s)
        #expect(rn.status().description
            == #"{"id":"1","term":1,"vote":"1","commit":1,"lead":"1","raftState":"StateLeader","applied":1,"progress":{"1":{"match":1,"next":2,"state":"StateReplicate"}},"leadtransferee":"0"}"#)
    }

    /// `bootstrap` refuses no peers and a storage that already holds entries; otherwise it
    /// writes one committed conf change per peer, to persist and apply like any other entry.
    @Test func bootstrap() throws {
        let empty = try newTestRawNode(id: 1, storage: MemoryStorage())
        #expect(throws: RaftError.bootstrap(BootstrapError(description: "must provide at least one peer to Bootstrap"))) {
            try empty.bootstrap([])
        }
        let used = try newTestRawNode(id: 1, storage: testStorage(peers: [1], entries: logEntries(from: 1, terms: 1)))
        #expect(throws: RaftError.bootstrap(BootstrapError(description: "can't bootstrap a nonempty Storage"))) {
            try used.bootstrap([Peer(id: 1)])
        }

        let s = MemoryStorage()
        let rn = try newTestRawNode(id: 1, storage: s)
        try rn.bootstrap([Peer(id: 1, context: bytes("addr1")), Peer(id: 2)])
        #expect(rn.raft.trk.voterNodes() == [1, 2])
        let rd = rn.ready()
        #expect(rd.hardState == HardState(term: 1, commit: 2))
        #expect(rd.entries.count == 2)
        #expect(rd.committedEntries == rd.entries)
        let changes = try rd.entries.map { try #require(try decodeConfChange($0)?.asV1()) }
        #expect(changes == [
            ConfChange(type: .confChangeAddNode, nodeID: 1, context: bytes("addr1")),
            ConfChange(type: .confChangeAddNode, nodeID: 2),
        ])
        try s.append(rd.entries)
        rn.advance(rd)
        #expect(rn.basicStatus().applied == 2)
    }

    /// A node bootstrapped alone cannot campaign before it has applied its bootstrap entries (they
    /// are conf changes); then it elects itself and commits.
    @Test func bootstrappedSingleNodeElectsItself() throws {
        let s = MemoryStorage()
        let rn = try newTestRawNode(id: 1, storage: s)
        try rn.bootstrap([Peer(id: 1)])
        try rn.campaign()
        #expect(rn.raft.state == .follower)
        let rd = rn.ready()
        try s.persist(rd)
        rn.advance(rd)
        try electSingleNode(rn, s)
        try rn.propose(bytes("x"))
        var applied: [Entry] = []
        try runReadyLoop(rn, s, onCommitted: { applied.append($0) }, until: { !rn.hasReady() })
        #expect(applied.map(\.data) == [bytes("x")])
    }

    /// Leadership transfer, unreachable and snapshot reports go through to raft.
    @Test func reportsReachTheLeader() throws {
        let rn = try newTestRawNode(id: 1, storage: testStorage(peers: [1, 2, 3]))
        rn.raft.becomeLeaderNow()
        let pr = try #require(rn.raft.trk.progress[2])
        pr.becomeReplicate()
        rn.reportUnreachable(2)
        #expect(pr.state == .probe)
        pr.becomeSnapshot(5)
        rn.reportSnapshot(2, status: .failure)
        #expect(pr.state == .probe && pr.pendingSnapshot == 0)
        pr.becomeSnapshot(5)
        rn.reportSnapshot(2, status: .finish)
        #expect(pr.state == .probe && pr.next == 6)
        rn.transferLeader(3)
        #expect(rn.basicStatus().leadTransferee == 3)
    }

    /// Forgetting the leader goes through to raft on a follower.
    @Test func forgetLeader() throws {
        let rn = try newTestRawNode(id: 2, storage: testStorage(peers: [1, 2, 3]))
        rn.raft.becomeFollower(term: 1, lead: 1)
        try rn.forgetLeader()
        #expect(rn.basicStatus().lead == PeerID.none)
    }

    /// Quiesced ticks count towards the election timeout but never start an election.
    @Test func quiescedTicksNeverCampaign() throws {
        let rn = try newTestRawNode(id: 1, storage: testStorage(peers: [1, 2, 3]))
        for _ in 0..<100 { rn.tickQuiesced() }
        #expect(rn.raft.electionElapsed == 100)
        #expect(rn.raft.state == .follower)
        rn.tick()
        #expect(rn.raft.state == .candidate)
    }
}
