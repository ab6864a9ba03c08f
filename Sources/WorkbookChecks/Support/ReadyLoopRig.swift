import Raft

/// A three-node cluster of real `RawNode`s whose Readies are handled by a plan function (the
/// learner's `readyPlan`), carried out by a fake application that records what it did and flags
/// every breach of the Ready contract.
///
/// The fake is defensive: whatever the plan says, it never calls into raft in a way that would
/// stop the process. A Ready that is not advanced leaves its node stuck (raft would refuse a
/// second Ready), an action after `advance` is ignored, an empty snapshot is not saved.
struct ReadyLoopRig {
    /// What happened during a run.
    struct Report {
        /// The payloads each node applied, in order.
        var applied: [UInt64: [String]] = [:]
        /// Breaches of the contract, in the order they happened.
        var violations: [String] = []
        /// Whether node 1 became leader.
        var electedLeader = false
    }

    /// The payload node 1 proposes once it leads; every node should end up applying it.
    static let proposal = "workbook"

    private final class Node {
        let id: UInt64
        let storage = MemoryStorage()
        let raw: RawNode
        var stuck = false

        init(id: UInt64) throws {
            self.id = id
            try storage.applySnapshot(Snapshot(metadata: SnapshotMetadata(confState: ConfState(voters: [1, 2, 3]))))
            var config = Config(id: id, electionTick: 10, heartbeatTick: 1, storage: storage)
            config.logger = DiscardLogger()
            config.maxSizePerMsg = noLimit
            raw = try RawNode(config: config)
        }
    }

    /// Node 1 campaigns, proposes once it leads, and the cluster runs until it is quiet: every
    /// Ready goes through `plan`, every sent message is delivered. No ticks, so the run is
    /// deterministic.
    static func run(plan: (Ready) -> [ReadyAction]) -> Report {
        var report = Report()
        guard let nodes = try? [Node(id: 1), Node(id: 2), Node(id: 3)] else {
            report.violations.append("could not start the cluster")
            return report
        }
        var network: [Message] = []
        try? nodes[0].raw.campaign()
        var proposed = false
        for _ in 0..<100 {
            var busy = false
            for node in nodes where !node.stuck && node.raw.hasReady() {
                handle(node, plan: plan, network: &network, report: &report)
                busy = true
            }
            let inFlight = network
            network = []
            for m in inFlight {
                guard let to = nodes.first(where: { $0.id == m.to }) else { continue }
                try? to.raw.step(m)
                busy = true
            }
            if !proposed && nodes[0].raw.basicStatus().softState.raftState == .leader {
                report.electedLeader = true
                try? nodes[0].raw.propose(Array(proposal.utf8))
                proposed = true
                busy = true
            }
            if !busy { break }
        }
        for node in nodes where node.stuck {
            report.violations.append("node \(node.id) was left with a Ready it never advanced, so raft produced no more for it")
        }
        return report
    }

    /// Carries out the plan for one Ready of `node`, checking the contract as it goes.
    private static func handle(_ node: Node, plan: (Ready) -> [ReadyAction], network: inout [Message], report: inout Report) {
        let rd = node.raw.ready()
        let actions = plan(rd)
        var savedSnapshot = rd.snapshot.isEmpty
        var appendedEntries = rd.entries.isEmpty
        var savedHardState = rd.hardState.isEmpty
        var sent = rd.messages.isEmpty
        var applied = rd.committedEntries.isEmpty
        var advanced = false
        func violation(_ text: String) { report.violations.append("node \(node.id): \(text)") }
        func persisted() -> Bool { savedSnapshot && appendedEntries && savedHardState }

        for action in actions {
            if advanced {
                violation("\(action) came after .advance; a Ready is finished once advanced")
                break
            }
            switch action {
            case .saveSnapshot(let snapshot):
                guard !snapshot.isEmpty else {
                    violation("saved an empty snapshot, which would wipe the stored log")
                    continue
                }
                if !rd.entries.isEmpty && appendedEntries {
                    violation("saved the snapshot after appending the entries; the snapshot replaces the log and loses them")
                }
                do { try node.storage.applySnapshot(snapshot) } catch { violation("storage refused the snapshot: \(error)") }
                if snapshot == rd.snapshot { savedSnapshot = true }
            case .appendEntries(let entries):
                do { try node.storage.append(entries) } catch { violation("storage refused the entries: \(error)") }
                if entries == rd.entries { appendedEntries = true }
            case .saveHardState(let hardState):
                if !appendedEntries {
                    violation("saved the hard state before the entries; a crash in between leaves a commit index past the stored log")
                }
                node.storage.setHardState(hardState)
                if hardState == rd.hardState { savedHardState = true }
            case .send(let messages):
                if !persisted() {
                    violation("sent messages before persisting the Ready; a vote or acknowledgement would promise state a crash can lose")
                }
                network.append(contentsOf: messages)
                if messages == rd.messages { sent = true }
            case .apply(let entries):
                if !persisted() {
                    violation("applied entries before persisting the Ready")
                }
                for e in entries where e.type == .entryNormal && !e.data.isEmpty {
                    report.applied[node.id, default: []].append(String(decoding: e.data, as: UTF8.self))
                }
                if entries == rd.committedEntries { applied = true }
            case .advance:
                if !persisted() { violation("advanced without persisting everything the Ready asked for") }
                if !sent { violation("advanced without sending the Ready's messages") }
                if !applied { violation("advanced without applying the Ready's committed entries") }
                node.raw.advance(rd)
                advanced = true
            }
        }
        if !advanced { node.stuck = true }
    }
}
