import Raft

/// Chapter 7: a follower falls behind while the leader compacts its log; the entries it needs are
/// gone, so the leader sends a snapshot, and the follower's application installs it.
enum SnapshotsScenario {
    static func run(_ trace: Trace) throws {
        let cluster = try Cluster(voters: [1, 2, 3], trace: trace)

        trace.heading("1. A follower falls behind")
        try cluster.establish(leader: 1, committing: ["x=1"])
        cluster.isolate(3)
        try trace.quietly {
            for command in ["y=2", "z=3", "x=4"] {
                try cluster.propose(1, command)
                try cluster.stabilize()
            }
        }
        trace.say("Node 1 leads; node 3 was cut off after x=1, and three more entries committed without it.")
        cluster.showStatus()

        trace.heading("2. The leader compacts its log")
        try cluster.compact(1)
        trace.say("  node 1: " + (try cluster.layout(1)))
        trace.say("  node 3: " + (try cluster.layout(3)))
        trace.say("Node 3 needs index \(try cluster.server(3).storage.lastIndex() + 1), which node 1 no longer has.")

        trace.heading("3. Snapshot instead of entries")
        cluster.heal()
        cluster.detail = .readies
        try cluster.elapse(ticks: 1, holding: Hold { $0.type == .msgSnap })
        trace.say("""
            Node 3 rejected the append (its log ends at 3) and the leader went back to index 4,
            which it compacted: it sends its storage's snapshot instead (MsgSnap, still in flight)
            and stops sending appends to node 3 until the snapshot is done.
            """)
        try cluster.showProgress(1)
        try cluster.stabilize()
        cluster.detail = .messages
        trace.say("""
            Node 3's Ready carried the snapshot: the application installed it in storage and in its
            state machine, then acknowledged. The leader's application reported the send finished
            (reportSnapshot), and replication resumed after the snapshot's index.
            """)
        try cluster.showProgress(1)
        trace.say("  node 3: " + (try cluster.layout(3)) + ", state \(try cluster.server(3).store)")
        try expect(try cluster.server(3).store == cluster.server(1).store, "node 3 should hold the leader's state")
    }
}
