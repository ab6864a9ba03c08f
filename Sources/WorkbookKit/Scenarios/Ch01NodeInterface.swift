import Raft

/// Chapter 1: the `Node` interface, method by method, on a three-node cluster. The cluster is
/// driven through `RawNode` (the same methods, called directly) so every step can be shown; part
/// 6 runs the same story on three `Node` actors.
enum NodeInterfaceScenario {
    static func run(_ trace: Trace) throws {
        let cluster = try Cluster(voters: [1, 2, 3], bootstrap: .confChangeEntries, trace: trace)

        trace.heading("1. Start: the membership is written into the log")
        trace.say("""
            Each node was started like etcd's StartNode: RawNode.bootstrap wrote one committed
            ConfChangeAddNode entry per peer into its empty log. The first Ready hands them to the
            application to persist (Entries) and to apply (CommittedEntries):
            """)
        cluster.detail = .readies
        try cluster.processReady(1)
        cluster.detail = .messages
        try trace.quietly {
            try cluster.processReady(2)
            try cluster.processReady(3)
        }
        trace.say("(nodes 2 and 3 handle the same Ready)")

        trace.heading("2. Step: only messages from the network")
        trace.say("""
            Step is how messages from other nodes get in. RawNode.step refuses what cannot have come
            over the network (Node.step drops the same messages silently):
            """)
        let node2 = try cluster.server(2).rawNode
        for m in [Message(type: .msgHup, to: 2, from: 3), Message(type: .msgAppResp, to: 2, from: 9, term: 1)] {
            do {
                try node2.step(m)
                throw WorkbookError.unexpected("node 2 accepted \(m)")
            } catch let error as RaftError {
                trace.say("  step(\(m)) -> \(error)")
            }
        }
        trace.say("""
            MsgHup is a local message: only this node's own clock or Campaign may start its election.
            A response from node 9, which is not a member, has no progress to update.
            """)

        trace.heading("3. Propose before there is a leader")
        try expect(!(try cluster.propose(2, "x=1")), "a proposal without a leader should be refused")
        trace.say("""
            RawNode refuses at once: a follower that knows no leader has nowhere to forward it.
            Node.propose waits for a leader instead (part 6). Raft itself never retries.
            """)

        trace.heading("4. Campaign, then propose through a follower")
        try cluster.campaign(1)
        try cluster.stabilize()
        try cluster.expectLeader(1)
        try cluster.propose(2, "x=1")
        try cluster.stabilize()
        trace.say("The follower forwarded the proposal (MsgProp) to the leader, which replicated and committed it.")
        cluster.showStatus()

        trace.heading("5. A proposal lost on the way")
        cluster.isolate(2)
        try expect(try cluster.propose(2, "x=2"), "node 2 should accept the proposal for forwarding")
        try cluster.stabilize()
        cluster.heal()
        trace.say("""
            Propose returned without error, yet the forwarded MsgProp was lost: success only means
            raft took the proposal. The client learns the outcome by watching committed entries,
            and after a timeout it proposes again:
            """)
        try cluster.propose(2, "x=2")
        try cluster.stabilize()
        let applied = try cluster.server(1).store
        try expect(applied["x"] == "2", "the retried proposal should commit")
        cluster.showStatus()

        trace.heading("6. The same story with three Node actors")
        try NodeActorStory.run(trace)

        trace.heading("7. Restart: who applies the ConfChangeAddNode entries again")
        trace.say("""
            Node 3 crashes. Its storage survives, but raft keeps its applied index only in memory.
            Restarted without telling raft what it had applied (Config.applied = 0), its first Ready
            hands every committed entry over again, the bootstrap's conf changes included:
            """)
        try cluster.restart(3, keepingApplied: false)
        cluster.detail = .readies
        try cluster.processReady(3)
        cluster.detail = .messages
        try cluster.stabilize()
        trace.say("""
            This time the application saved its state and applied index with it (here as a snapshot
            in storage) and passes the index in Config.applied. Nothing is replayed:
            """)
        try cluster.restart(3, keepingApplied: true)
        let rd = try cluster.takeReady(3)
        let replayed = rd?.committedEntries.count ?? 0
        trace.say("  node 3 has \(count(replayed, "committed entry", "committed entries")) to apply after the restart")
        try expect(replayed == 0, "nothing should be replayed")
        if let rd { try cluster.handle(rd, on: 3) }
        try cluster.stabilize()
        cluster.showStatus()
    }
}
