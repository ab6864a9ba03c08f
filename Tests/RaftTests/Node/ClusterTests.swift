import RaftTesting
import Testing
@testable import Raft

extension NodeTests {
    /// Three-node clusters driven through `Node` over the in-process network: elections,
    /// concurrent proposals, leader loss, removal, reads, stopping. Time only passes when a test
    /// ticks; most elections are started with `campaign` so that nothing else can intervene.
    @Suite struct Cluster {
        typealias F = NodeFixture

        /// A cluster of 1, 2, 3 in which `leader` won the first election and every node applied
        /// everything up to the leader's empty entry (index 4: three bootstrap entries before it).
        static func startElected(leader: UInt64 = 1, logger: (any Logger)? = nil,
                                 configure: @escaping (inout Config) -> Void = { _ in }) async throws -> LocalCluster {
            let cluster = try LocalCluster.start(ids: [1, 2, 3], configure: { config in
                if let logger { config.logger = logger }
                configure(&config)
            })
            // Raft refuses to campaign while a conf change is unapplied: let the bootstrap in first.
            try await cluster.waitUntil("the bootstrap entries applied", timeout: F.patience) {
                cluster.ids.allSatisfy { cluster.applied($0).last?.index == 3 }
            }
            try await cluster.node(leader).campaign()
            #expect(try await cluster.waitForLeader(timeout: F.patience) == leader)
            try await cluster.waitUntil("the empty entry applied everywhere", timeout: F.patience) {
                cluster.ids.allSatisfy { cluster.applied($0).last?.index == 4 }
            }
            return cluster
        }

        /// Ticks alone elect a leader, and every node logs that it learnt of it.
        @Test func ticksElect() async throws {
            let logger = CapturingLogger(level: .info)
            let cluster = try LocalCluster.start(ids: [1, 2, 3]) { $0.logger = logger }
            let leader = try await cluster.waitForLeader(ticking: true, timeout: F.patience)
            for id in cluster.ids {
                let lines = logger.nodeLines.filter { $0.hasPrefix("raft.node: \(id) ") }
                #expect(lines.contains { $0.hasPrefix("raft.node: \(id) elected leader ") })
                #expect(lines.last?.contains(" leader \(leader) at term ") == true
                    || lines.last?.contains(" to \(leader) at term ") == true, "\(lines)")
            }
            await cluster.stop()
            #expect(cluster.problems.isEmpty)
        }

        /// A campaign elects the node that campaigns (nothing else ticks), and every node logs
        /// etcd's line for it.
        @Test func campaignElects() async throws {
            let logger = CapturingLogger(level: .info)
            let cluster = try await Self.startElected(leader: 2, logger: logger)
            for id in cluster.ids {
                #expect(logger.nodeLines.contains("raft.node: \(id) elected leader 2 at term 2"))
            }
            await cluster.stop()
        }

        /// Proposals from many tasks at once, to every node (followers forward them): each one
        /// returns, and every node applies all of them, once each, in the same order.
        @Test func concurrentProposals() async throws {
            let cluster = try await Self.startElected()
            let count = 60
            try await withThrowingTaskGroup(of: Void.self) { group in
                for i in 0..<count {
                    group.addTask {
                        try await cluster.node(UInt64(i % 3 + 1)).propose(bytes("p\(i)"))
                    }
                }
                // Meanwhile, other tasks look at the nodes.
                for id in cluster.ids {
                    group.addTask { for _ in 0..<20 { _ = try await cluster.node(id).status() } }
                }
                try await group.waitForAll()
            }
            try await cluster.waitUntil("every proposal applied everywhere", timeout: F.patience) {
                cluster.ids.allSatisfy { cluster.appliedData($0).count >= count }
            }
            let logs = cluster.ids.map { cluster.appliedData($0) }
            #expect(logs[1] == logs[0] && logs[2] == logs[0])
            #expect(Set(logs[0]) == Set((0..<count).map { bytes("p\($0)") }))
            #expect(logs[0].count == count)
            await cluster.stop()
            #expect(cluster.problems.isEmpty)
        }

        /// The leader is cut off and a follower forgets it: a proposal there waits. Another
        /// node campaigns and wins; the waiting proposal then goes through, commits, and reaches
        /// the old leader once it is back.
        @Test func leaderLossWhileProposalWaits() async throws {
            let logger = CapturingLogger(level: .info)
            let cluster = try await Self.startElected(leader: 1, logger: logger)
            cluster.network.isolate(1)
            try await cluster.node(2).forgetLeader()
            #expect(logger.nodeLines.contains("raft.node: 2 lost leader 1 at term 2"))

            let proposal = Task { try await cluster.node(2).propose(bytes("after the loss")) }
            try await waitUntil("the proposal waiting") { await cluster.node(2).waitingProposals == 1 }

            try await cluster.node(3).campaign()
            #expect(try await cluster.waitForLeader(among: [2, 3], timeout: F.patience) == 3)
            try await F.withPatience("the proposal") { try await proposal.value }
            try await cluster.waitUntil("the proposal applied on 2 and 3", timeout: F.patience) {
                [2, 3].allSatisfy { cluster.appliedData($0) == [bytes("after the loss")] }
            }
            #expect(cluster.appliedData(1).isEmpty)
            #expect(logger.nodeLines.contains("raft.node: 2 elected leader 3 at term 3"))

            // Back on the network, the old leader hears of the new one at the next heartbeats.
            cluster.network.heal()
            try await cluster.waitUntil("the old leader catching up", ticking: true, timeout: F.patience) {
                cluster.appliedData(1) == [bytes("after the loss")]
            }
            #expect(logger.nodeLines.contains { $0.hasPrefix("raft.node: 1 changed leader from 1 to ") })
            await cluster.stop()
            #expect(cluster.problems.isEmpty)
        }

        /// A node that applies its own removal stops taking proposals: they wait (until
        /// cancelled), as etcd disables the proposal channel. The others go on.
        @Test func removedNodeBlocksProposals() async throws {
            let cluster = try await Self.startElected(leader: 1)
            try await cluster.node(1).proposeConfChange(ConfChange(type: .confChangeRemoveNode, nodeID: 3))
            try await cluster.waitUntil("the removal applied everywhere", timeout: F.patience) {
                cluster.ids.allSatisfy { cluster.confState($0)?.voters == [1, 2] }
            }

            let blocked = Task { try await cluster.node(3).propose(bytes("from the removed node")) }
            try await waitUntil("the proposal waiting") { await cluster.node(3).waitingProposals == 1 }
            try await cluster.node(2).propose(bytes("from a member"))
            try await cluster.waitUntil("the member's proposal applied", timeout: F.patience) {
                [1, 2].allSatisfy { cluster.appliedData($0) == [bytes("from a member")] }
            }
            #expect(await cluster.node(3).waitingProposals == 1)
            blocked.cancel()
            await #expect(throws: RaftError.cancelled) { try await blocked.value }
            await cluster.stop()
        }

        /// With forwarding disabled, a follower refuses proposals: `proposalDropped`.
        @Test func forwardingDisabledDropsProposals() async throws {
            let cluster = try await Self.startElected(leader: 1) { config in
                if config.id == 2 { config.disableProposalForwarding = true }
            }
            await #expect(throws: RaftError.proposalDropped) {
                try await cluster.node(2).propose(bytes("refused"))
            }
            try await cluster.node(3).propose(bytes("forwarded"))
            try await cluster.waitUntil("the forwarded proposal applied", timeout: F.patience) {
                cluster.ids.allSatisfy { cluster.appliedData($0) == [bytes("forwarded")] }
            }
            await cluster.stop()
        }

        /// A follower's read request goes to the leader, which confirms its leadership with a
        /// round of heartbeats and answers with its commit index.
        @Test func readIndexOnFollower() async throws {
            let cluster = try await Self.startElected(leader: 1)
            try await cluster.node(2).readIndex(bytes("read"))
            try await cluster.waitUntil("the read state", timeout: F.patience) { !cluster.readStates(2).isEmpty }
            #expect(cluster.readStates(2) == [ReadState(index: 4, requestCtx: bytes("read"))])
            await cluster.stop()
        }

        /// The leader hands leadership to an up-to-date follower on request.
        @Test func transferLeadership() async throws {
            let logger = CapturingLogger(level: .info)
            let cluster = try await Self.startElected(leader: 1, logger: logger)
            try await cluster.node(1).transferLeadership(lead: 1, transferee: 2)
            try await cluster.waitUntil("node 2 leading", timeout: F.patience) {
                await cluster.agreedLeader() == 2
            }
            // The old leader learns of term 3 from the vote request, without a leader at first.
            #expect(logger.nodeLines.filter { $0.hasPrefix("raft.node: 1 ") }.suffix(2)
                == ["raft.node: 1 lost leader 1 at term 3", "raft.node: 1 elected leader 2 at term 3"])
            await cluster.stop()
        }

        /// Stopping the cluster while proposals wait for a leader (none was ever elected) and the
        /// application loops wait for Readies: the proposals throw `stopped`, the loops end.
        @Test func stopWhileCallsWait() async throws {
            let cluster = try LocalCluster.start(ids: [1, 2, 3])
            let proposals = cluster.ids.map { id in
                Task { try await cluster.node(id).propose(bytes("never")) }
            }
            for id in cluster.ids {
                try await waitUntil("the proposal waiting") { await cluster.node(id).waitingProposals == 1 }
                try await waitUntil("the loop waiting") { await cluster.node(id).waitingReadyConsumers == 1 }
            }
            await cluster.stop()
            for p in proposals {
                await #expect(throws: RaftError.stopped) { try await p.value }
            }
            #expect(cluster.problems.isEmpty)
        }
    }
}
