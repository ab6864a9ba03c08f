import Testing
@testable import Raft

/// Regressions: snapshots from a peer that stopped the process; both are now refused as invalid
/// messages before anything changes. Found by the malformed-message fuzzer in RaftSimulation.
///
/// - A membership listing a node as both voter and learner passed the changer (which makes the
///   node a learner) and then failed the check that the restored membership equals the
///   snapshot's (etcd panics there too).
/// - A snapshot at index `UInt64.max` was restored, and the log then panicked (no index follows).
@Suite struct HostileSnapshotTests {
    static func follower() throws -> RawNode {
        let storage = MemoryStorage()
        try storage.applySnapshot(Snapshot(metadata: SnapshotMetadata(confState: ConfState(voters: [1, 2, 3]), index: 1, term: 1)))
        var c = Config(id: 1, electionTick: 10, heartbeatTick: 1, storage: storage)
        c.logger = DiscardLogger()
        return try RawNode(config: c)
    }

    static func expectUnchanged(_ node: RawNode) {
        let st = node.status()
        #expect(st.hardState.commit == 1)
        #expect(st.config.voters.incoming.sorted == [1, 2, 3])
        #expect(node.logBounds.last == 1)
    }

    @Test func snapshotWithVoterAlsoLearnerIsRefused() throws {
        let node = try Self.follower()
        let odd = Snapshot(metadata: SnapshotMetadata(confState: ConfState(voters: [1, 2, 3], learners: [1]), index: 10, term: 2))
        #expect(throws: RaftError.self) {
            try node.step(Message(type: .msgSnap, to: 1, from: 2, term: 2, snapshot: odd))
        }
        Self.expectUnchanged(node)
    }

    @Test func snapshotAtLastIndexIsRefused() throws {
        let node = try Self.follower()
        let odd = Snapshot(metadata: SnapshotMetadata(confState: ConfState(voters: [1, 2, 3]), index: .max, term: 2))
        #expect(throws: RaftError.self) {
            try node.step(Message(type: .msgSnap, to: 1, from: 2, term: 2, snapshot: odd))
        }
        Self.expectUnchanged(node)
    }
}
