import Testing
@testable import Raft

/// Regression: a heartbeat or append with term 0 (which raft never sends) passed as a local
/// message, and a candidate then became a follower at term 0, forgetting its term and vote (etcd
/// does the same). Such messages are now refused. Found by the malformed-message fuzzer in
/// RaftSimulation.
@Suite struct TermZeroMessageTests {
    @Test(arguments: [MessageType.msgHeartbeat, .msgApp, .msgSnap, .msgTimeoutNow])
    func candidateIgnoresTermZero(_ type: MessageType) throws {
        let storage = MemoryStorage()
        try storage.applySnapshot(Snapshot(metadata: SnapshotMetadata(confState: ConfState(voters: [1, 2, 3]), index: 1, term: 1)))
        storage.setHardState(HardState(term: 1, commit: 1))
        var c = Config(id: 1, electionTick: 10, heartbeatTick: 1, storage: storage)
        c.logger = DiscardLogger()
        let node = try RawNode(config: c)
        try node.campaign()
        #expect(node.basicStatus().softState.raftState == .candidate)
        #expect(throws: RaftError.self) {
            try node.step(Message(type: type, to: 1, from: 2, term: 0, index: 1, commit: 1))
        }
        let st = node.basicStatus()
        #expect(st.term == 2)
        #expect(st.vote == 1)
        #expect(st.softState.raftState == .candidate)
    }
}
