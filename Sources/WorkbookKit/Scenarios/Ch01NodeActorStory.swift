import Raft

/// Chapter 1, part 6: three `Node`s in one process, each with the Ready loop an application
/// runs, a follower's proposal waiting for a leader, and a campaign.
///
/// etcd runs each node's raft on a goroutine (`node.run`) that takes one event at a time from its
/// channels; a `Node` runs one call at a time under its lock. The tasks here run on a single-threaded
/// executor, so their interleaving, and so this output, is the same on every run. The report is
/// printed per node, in id order.
enum NodeActorStory {
    static func run(_ trace: Trace) throws {
        let report = try RunLoopExecutor.run { try await play(trace) }
        trace.say("""
            Each node's Ready loop persists to its MemoryStorage, sends messages by calling the
            receiver's step, applies committed entries and calls advance(). Node 2 proposes before
            any leader exists; node 1 campaigns. What each node saw:
            """)
        for line in report { trace.say(line) }
    }

    /// Starts the nodes and their loops, proposes, campaigns, waits until every node applied the
    /// proposal, and stops everything. Returns the report.
    static func play(_ trace: Trace) async throws -> [String] {
        let ids: [UInt64] = [1, 2, 3]
        var nodes: [UInt64: Node] = [:]
        var storages: [UInt64: MemoryStorage] = [:]
        for id in ids {
            let storage = MemoryStorage()
            var config = Config(id: id, electionTick: 10, heartbeatTick: 1, storage: storage)
            config.maxSizePerMsg = noLimit
            // Raft's log lines would interleave with the report; only --verbose shows them.
            config.logger = trace.options.verbose ? TraceLogger(trace: trace) : DiscardLogger()
            trace.options.configure(&config)
            nodes[id] = try Node.start(config: config, peers: ids.map { Peer(id: $0) })
            storages[id] = storage
        }
        guard let leader = nodes[1], let proposer = nodes[2] else { throw WorkbookError.unknownNode(1) }
        let network = nodes
        let journal = Journal()
        let proposal = "x=1"

        try await withThrowingTaskGroup(of: Void.self) { group in
            for id in ids {
                guard let node = network[id], let storage = storages[id] else { continue }
                group.addTask { try await readyLoop(id, node, storage, network, journal) }
            }
            group.addTask {
                await journal.note(2, "propose(\"\(proposal)\") called; no leader known, so it waits")
                try await proposer.propose(Array(proposal.utf8))
                await journal.note(2, "propose returned: raft took it (forwarded to the leader)")
            }
            // A node with committed conf changes still to apply does not campaign (they might remove
            // it), so the campaign waits until node 1 has applied the bootstrap's three entries.
            await journal.waitUntilApplied(3, by: [1])
            await journal.note(1, "campaign() called")
            try await leader.campaign()
            // Three bootstrap entries, the new leader's empty entry, then the proposal: index 5.
            await journal.waitUntilApplied(5, by: ids)
            for id in ids {
                guard let node = network[id] else { continue }
                await journal.note(id, "status: " + Server.statusText(try await node.status().basic))
                await node.stop()
            }
            try await group.waitForAll()
        }
        return await journal.report(ids)
    }

    /// The application's loop for one node: for each Ready, persist, send, apply, advance.
    static func readyLoop(_ id: UInt64, _ node: Node, _ storage: MemoryStorage, _ network: [UInt64: Node],
                          _ journal: Journal) async throws {
        for await rd in node.readies {
            await journal.note(id, "Ready: " + summary(rd))
            if !rd.hardState.isEmpty { storage.setHardState(rd.hardState) }
            try storage.append(rd.entries)
            // A stopped receiver throws; in a real transport that is a failed send, ignored here.
            for m in rd.messages { try? await network[m.to]?.step(m) }
            for e in rd.committedEntries {
                switch e.type {
                case .entryConfChange: _ = try await node.applyConfChange(ConfChange(unmarshaling: e.data))
                case .entryConfChangeV2: _ = try await node.applyConfChange(ConfChangeV2(unmarshaling: e.data))
                case .entryNormal: break
                }
                await journal.applied(id, e.index)
            }
            try await node.advance()
        }
    }

    /// A Ready in one line: what changed, what to persist, send and apply.
    static func summary(_ rd: Ready) -> String {
        var parts: [String] = []
        if let soft = rd.softState { parts.append("\(Server.roleName(soft.raftState)), lead \(soft.lead)") }
        if !rd.hardState.isEmpty { parts.append("HardState \(rd.hardState)") }
        if !rd.entries.isEmpty { parts.append("persist \(rd.entries.map { "\($0.term)/\($0.index)" }.joined(separator: " "))") }
        if !rd.messages.isEmpty {
            parts.append("send " + rd.messages.map { "\($0.type)->\($0.to)" }.joined(separator: " "))
        }
        if !rd.committedEntries.isEmpty {
            parts.append("apply " + rd.committedEntries.map(\.description).joined(separator: ", "))
        }
        return parts.joined(separator: "; ")
    }
}
