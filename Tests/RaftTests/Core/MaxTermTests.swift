import Testing
@testable import Raft

/// Regression: a peer's message with term `UInt64.max` made the node adopt that term, and its next
/// campaign computed `term + 1` and trapped (etcd wraps to term 0). The node now refuses to
/// campaign at the largest term. Found by the malformed-message fuzzer in RaftSimulation.
@Suite struct MaxTermTests {
    @Test func nodeAtLargestTermDoesNotCampaign() throws {
        for preVote in [false, true] {
            let storage = MemoryStorage()
            try storage.applySnapshot(Snapshot(metadata: SnapshotMetadata(confState: ConfState(voters: [1, 2, 3]), index: 1, term: 1)))
            var c = Config(id: 1, electionTick: 10, heartbeatTick: 1, storage: storage)
            c.preVote = preVote
            c.logger = DiscardLogger()
            let node = try RawNode(config: c)
            try node.step(Message(type: .msgHeartbeat, to: 1, from: 2, term: .max, commit: 1))
            #expect(node.basicStatus().term == .max)
            // An election timeout, and a leader's request to campaign now.
            for _ in 0..<30 { node.tick() }
            try node.step(Message(type: .msgTimeoutNow, to: 1, from: 2, term: .max))
            try node.campaign()
            let st = node.basicStatus()
            #expect(st.term == .max)
            #expect(st.softState.raftState == .follower)
        }
    }
}

/// Regression: a snapshot from a peer at index `UInt64.max - 1` left no index for a leader's
/// entries; the node then campaigned, won, and trapped appending its empty entry. It now does not
/// campaign when no index is left. Found by the malformed-message fuzzer in RaftSimulation.
@Suite struct EndOfIndexSpaceTests {
    @Test func nodeWithFullLogDoesNotCampaign() throws {
        let storage = MemoryStorage()
        try storage.applySnapshot(Snapshot(metadata: SnapshotMetadata(confState: ConfState(voters: [1, 2, 3]), index: 1, term: 1)))
        var c = Config(id: 1, electionTick: 10, heartbeatTick: 1, storage: storage)
        c.logger = DiscardLogger()
        let node = try RawNode(config: c)
        let far = Snapshot(metadata: SnapshotMetadata(confState: ConfState(voters: [1, 2, 3]), index: .max - 1, term: 2))
        try node.step(Message(type: .msgSnap, to: 1, from: 2, term: 2, snapshot: far))
        // Persist the snapshot, so that only the full log stands in the way of campaigning.
        while node.hasReady() {
            let rd = node.ready()
            if !rd.snapshot.isEmpty { try storage.applySnapshot(rd.snapshot) }
            if !rd.hardState.isEmpty { storage.setHardState(rd.hardState) }
            node.advance(rd)
        }
        #expect(node.logBounds.last == UInt64.max - 1)
        try node.campaign()
        for _ in 0..<30 { node.tick() }
        #expect(node.basicStatus().softState.raftState == .follower)
        #expect(node.basicStatus().term == 2)
    }
}
