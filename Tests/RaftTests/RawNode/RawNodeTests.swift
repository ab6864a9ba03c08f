import RaftTesting
import Testing
@testable import Raft

// RawNode as an application drives it: stepping messages from the network, proposing data and
// conf changes (simple, joint with automatic or explicit leave), reads, starting and restarting
// from storage, status, and bootstrapping.

/// The conf change a committed entry carries, if it carries one.
func decodeConfChange(_ e: Entry) throws -> (any ConfChangeI)? {
    switch e.type {
    case .entryConfChange: try ConfChange(unmarshaling: e.data)
    case .entryConfChangeV2: try ConfChangeV2(unmarshaling: e.data)
    case .entryNormal: nil
    }
}

/// Handles Readies as a single-node application does until `done` says to stop: persists the
/// entries, lets `onCommitted` see each committed entry, advances, then lets `afterAdvance` act
/// on the Ready. Fails after 100 Readies.
func runReadyLoop(
    _ rn: RawNode, _ storage: MemoryStorage,
    onCommitted: (Entry) throws -> Void = { _ in },
    afterAdvance: (Ready) throws -> Void = { _ in },
    until done: () -> Bool
) throws {
    var rounds = 0
    while !done() {
        rounds += 1
        try #require(rounds <= 100, "no progress after 100 Readies")
        let rd = rn.ready()
        try storage.persist(rd)
        for e in rd.committedEntries { try onCommitted(e) }
        rn.advance(rd)
        try afterAdvance(rd)
    }
}

/// Campaigns and handles Readies until the single-node `rn` leads and has applied its entry.
func electSingleNode(_ rn: RawNode, _ storage: MemoryStorage) throws {
    try rn.campaign()
    try runReadyLoop(rn, storage) { rn.raft.state == .leader && !rn.hasReady() }
}

@Suite struct RawNodeStepTests {
    /// Local message types are refused from the network; the rest are accepted or refused for
    /// their own reasons (never as local messages).
    /// etcd: TestRawNodeStep.
    @Test(arguments: MessageType.allCases)
    func localMessagesAreRefused(_ type: MessageType) throws {
        let s = MemoryStorage()
        s.setHardState(HardState(term: 1, commit: 1))
        try s.append([Entry(term: 1, index: 1)])
        try s.applySnapshot(Snapshot(metadata: SnapshotMetadata(confState: ConfState(voters: [1]), index: 1, term: 1)))
        let rn = try newTestRawNode(id: 1, storage: s)
        var refusal: RaftError?
        do { try rn.step(Message(type: type)) } catch { refusal = error }
        if type.isLocal {
            #expect(refusal == .stepLocalMsg)
        } else {
            #expect(refusal != .stepLocalMsg)
        }
    }

    /// Responses from nodes outside the configuration are refused; the local storage threads may
    /// send the storage responses.
    @Test func responsesFromStrangersAreRefused() throws {
        let rn = try newTestRawNode(id: 1, storage: testStorage(peers: [1, 2]))
        for type in MessageType.allCases where type.isResponse && !type.isLocal {
            #expect(throws: RaftError.stepPeerNotFound, "\(type)") {
                try rn.step(Message(type: type, to: 1, from: 9, term: 1))
            }
        }
        try rn.step(Message(type: .msgAppResp, to: 1, from: 2, term: 1))
        try rn.step(Message(type: .msgStorageAppendResp, to: 1, from: PeerID.localAppendThread))
        try rn.step(Message(type: .msgStorageApplyResp, to: 1, from: PeerID.localApplyThread))
        #expect(throws: RaftError.stepLocalMsg) {
            try rn.step(Message(type: .msgStorageAppendResp, to: 1, from: 2))
        }
    }

    /// Requests from strangers (votes, appends) are not refused by RawNode: raft decides.
    @Test func requestsFromStrangersReachRaft() throws {
        let rn = try newTestRawNode(id: 1, storage: testStorage(peers: [1, 2]))
        try rn.step(Message(type: .msgVote, to: 1, from: 9, term: 1))
        #expect(rn.raft.term == 1)
        #expect(rn.raft.vote == 9)
    }
}

/// A conf change proposal, what it makes of the membership [1], and what leaving the joint
/// configuration makes of it (nil when the change is simple).
private struct ConfChangeCase: Sendable {
    var cc: any ConfChangeI
    var entered: ConfState
    var left: ConfState?
}

private let confChangeCases: [ConfChangeCase] = [
    ConfChangeCase(cc: ConfChange(type: .confChangeAddNode, nodeID: 2), entered: ConfState(voters: [1, 2])),
    ConfChangeCase(cc: ConfChangeV2(changes: [ConfChangeSingle(type: .confChangeAddNode, nodeID: 2)]),
                   entered: ConfState(voters: [1, 2])),
    ConfChangeCase(cc: ConfChangeV2(changes: [ConfChangeSingle(type: .confChangeAddLearnerNode, nodeID: 2)]),
                   entered: ConfState(voters: [1], learners: [2])),
    ConfChangeCase(cc: ConfChangeV2(transition: .jointExplicit,
                                    changes: [ConfChangeSingle(type: .confChangeAddLearnerNode, nodeID: 2)]),
                   entered: ConfState(voters: [1], learners: [2], votersOutgoing: [1]),
                   left: ConfState(voters: [1], learners: [2])),
    ConfChangeCase(cc: ConfChangeV2(transition: .jointImplicit,
                                    changes: [ConfChangeSingle(type: .confChangeAddLearnerNode, nodeID: 2)]),
                   entered: ConfState(voters: [1], learners: [2], votersOutgoing: [1], autoLeave: true),
                   left: ConfState(voters: [1], learners: [2])),
    // Adding 2 while demoting 1: a joint configuration in which 1 waits in LearnersNext.
    ConfChangeCase(cc: ConfChangeV2(changes: [
        ConfChangeSingle(type: .confChangeAddNode, nodeID: 2),
        ConfChangeSingle(type: .confChangeAddLearnerNode, nodeID: 1),
        ConfChangeSingle(type: .confChangeAddLearnerNode, nodeID: 3),
    ]), entered: ConfState(voters: [2], learners: [3], votersOutgoing: [1], learnersNext: [1], autoLeave: true),
        left: ConfState(voters: [2], learners: [1, 3])),
    ConfChangeCase(cc: ConfChangeV2(transition: .jointExplicit, changes: [
        ConfChangeSingle(type: .confChangeAddNode, nodeID: 2),
        ConfChangeSingle(type: .confChangeAddLearnerNode, nodeID: 1),
        ConfChangeSingle(type: .confChangeAddLearnerNode, nodeID: 3),
    ]), entered: ConfState(voters: [2], learners: [3], votersOutgoing: [1], learnersNext: [1]),
        left: ConfState(voters: [2], learners: [1, 3])),
    ConfChangeCase(cc: ConfChangeV2(transition: .jointImplicit, changes: [
        ConfChangeSingle(type: .confChangeAddNode, nodeID: 2),
        ConfChangeSingle(type: .confChangeAddLearnerNode, nodeID: 1),
        ConfChangeSingle(type: .confChangeAddLearnerNode, nodeID: 3),
    ]), entered: ConfState(voters: [2], learners: [3], votersOutgoing: [1], learnersNext: [1], autoLeave: true),
        left: ConfState(voters: [2], learners: [1, 3])),
]

@Suite struct RawNodeConfChangeTests {
    /// Each change is proposed after a normal proposal, committed and applied; a joint
    /// configuration is then left, automatically or by an explicit empty change.
    /// etcd: TestRawNodeProposeAndConfChange.
    @Test(arguments: confChangeCases.indices)
    func proposeAndApplyConfChange(_ k: Int) throws {
        let c = confChangeCases[k]
        let s = try testStorage(peers: [1])
        let rn = try newTestRawNode(id: 1, storage: s)
        try rn.campaign()
        let (ccType, ccData) = marshalConfChange(c.cc)
        var proposed = false
        var applied: ConfState?
        try runReadyLoop(rn, s, onCommitted: { e in
            if let cc = try decodeConfChange(e) { applied = try rn.applyConfChange(cc) }
        }, afterAdvance: { rd in
            if !proposed && rd.softState?.lead == 1 {
                try rn.propose(bytes("somedata"))
                try rn.proposeConfChange(c.cc)
                proposed = true
            }
        }, until: { applied != nil })

        // The last two stored entries are the proposal and the conf change, down to the bytes.
        let lastIndex = s.lastIndex()
        let stored = try s.entries(lastIndex - 1, lastIndex + 1, maxSize: noLimit)
        try #require(stored.count == 2)
        #expect(stored[0].data == bytes("somedata"))
        #expect(stored[1].type == ccType)
        #expect(stored[1].data == ccData)
        #expect(applied == c.entered)

        // An auto-leaving joint change has already proposed the leaving entry (still unstable).
        let autoLeaves = c.cc.asV2().enterJoint() == true
        #expect(rn.raft.pendingConfIndex == lastIndex + (autoLeaves ? 1 : 0))

        var rd = rn.ready()
        var context: [UInt8] = []
        if !c.entered.autoLeave {
            #expect(rd.entries.isEmpty)
            rn.advance(rd)
            guard c.left != nil else { return }
            context = bytes("manual")
            try rn.proposeConfChange(ConfChangeV2(context: context))
            rd = rn.ready()
        }
        try #require(rd.entries.count == 1)
        #expect(rd.entries[0].type == .entryConfChangeV2)
        let leave = try ConfChangeV2(unmarshaling: rd.entries[0].data)
        #expect(leave == ConfChangeV2(context: context))
        // Pretend it applied (a single node in a joint configuration cannot commit it alone).
        #expect(try rn.applyConfChange(leave) == c.left)
        rn.advance(rd)
    }

    /// A leader that loses leadership before applying an auto-leaving joint change does not leave
    /// as a follower; once leader again, it proposes leaving as soon as it has applied everything.
    /// etcd: TestRawNodeJointAutoLeave.
    @Test func autoLeaveWaitsForLeadership() throws {
        let change = ConfChangeV2(transition: .jointImplicit,
                                  changes: [ConfChangeSingle(type: .confChangeAddLearnerNode, nodeID: 2)])
        let s = try testStorage(peers: [1])
        let rn = try newTestRawNode(id: 1, storage: s)
        try rn.campaign()
        var proposed = false
        var applied: ConfState?
        try runReadyLoop(rn, s, onCommitted: { e in
            guard let cc = try decodeConfChange(e) else { return }
            // Lose leadership just before applying.
            try rn.step(Message(type: .msgHeartbeatResp, from: 1, term: rn.raft.term + 1))
            applied = try rn.applyConfChange(cc)
        }, afterAdvance: { rd in
            if !proposed && rd.softState?.lead == 1 {
                try rn.propose(bytes("somedata"))
                try rn.proposeConfChange(change)
                proposed = true
            }
        }, until: { applied != nil })
        #expect(applied == ConfState(voters: [1], learners: [2], votersOutgoing: [1], autoLeave: true))
        #expect(rn.raft.state == .follower)
        #expect(rn.raft.pendingConfIndex == 0)
        #expect(rn.readyWithoutAccept().entries.isEmpty)

        try rn.campaign()
        var readies: [Ready] = []
        for _ in 0..<4 {
            let rd = rn.ready()
            try s.append(rd.entries)
            readies.append(rd)
            if readies.count < 4 { rn.advance(rd) }
        }
        let rd = readies[3]
        try #require(rd.entries.count == 1)
        #expect(rd.entries[0].type == .entryConfChangeV2)
        let leave = try ConfChangeV2(unmarshaling: rd.entries[0].data)
        #expect(leave == ConfChangeV2())
        #expect(try rn.applyConfChange(leave) == ConfState(voters: [1], learners: [2]))
    }

    /// Proposing the same addition twice does not get in the way of the next addition: the
    /// second proposal, made while the first was unapplied, is neutralized.
    /// etcd: TestRawNodeProposeAddDuplicateNode, TestNodeProposeAddDuplicateNode (merged).
    @Test func duplicateAdditionDoesNotBlockTheNext() throws {
        let s = try testStorage(peers: [1])
        let rn = try newTestRawNode(id: 1, storage: s)
        let first = rn.ready()
        try s.append(first.entries)
        rn.advance(first)
        try electSingleNode(rn, s)

        func proposeAndApply(_ cc: ConfChange) throws {
            try rn.proposeConfChange(cc)
            let rd = rn.ready()
            try s.append(rd.entries)
            for e in rd.committedEntries {
                if let applied = try decodeConfChange(e) { _ = try rn.applyConfChange(applied) }
            }
            rn.advance(rd)
        }
        let add1 = ConfChange(type: .confChangeAddNode, nodeID: 1)
        let add2 = ConfChange(type: .confChangeAddNode, nodeID: 2)
        try proposeAndApply(add1)
        try proposeAndApply(add1)
        try proposeAndApply(add2)

        let lastIndex = s.lastIndex()
        let stored = try s.entries(lastIndex - 2, lastIndex + 1, maxSize: noLimit)
        try #require(stored.count == 3)
        #expect(stored[0].data == add1.marshal())
        #expect(stored[1].type == .entryNormal && stored[1].data.isEmpty)
        #expect(stored[2].data == add2.marshal())
    }
}

@Suite struct RawNodeReadIndexTests {
    /// Read states come out in the next Ready and are cleared; a read request reaches raft as a
    /// MsgReadIndex carrying the context.
    /// etcd: TestRawNodeReadIndex.
    @Test func readStatesAndReadRequests() throws {
        let s = try testStorage(peers: [1])
        let rn = try newTestRawNode(id: 1, storage: s)
        let states = [ReadState(index: 1, requestCtx: bytes("somedata"))]
        rn.raft.readStates = states
        #expect(rn.hasReady())
        let rd = rn.ready()
        #expect(rd.readStates == states)
        try s.append(rd.entries)
        rn.advance(rd)
        #expect(rn.raft.readStates.isEmpty)

        try electSingleNode(rn, s)
        final class Seen { var messages: [Message] = [] }
        let seen = Seen()
        rn.raft.stepForRole = { _, m in seen.messages.append(m) }
        rn.readIndex(bytes("somedata2"))
        try #require(seen.messages.count == 1)
        #expect(seen.messages[0].type == .msgReadIndex)
        #expect(seen.messages[0].entries.map(\.data) == [bytes("somedata2")])
    }

    /// A single-node leader answers a read in the next Ready.
    @Test func singleNodeReadComesBackInReady() throws {
        let s = try testStorage(peers: [1])
        let rn = try newTestRawNode(id: 1, storage: s)
        try electSingleNode(rn, s)
        rn.readIndex(bytes("ctx"))
        let rd = rn.ready()
        #expect(rd.readStates == [ReadState(index: rn.raft.raftLog.committed, requestCtx: bytes("ctx"))])
        rn.advance(rd)
        #expect(!rn.hasReady())
    }
}
