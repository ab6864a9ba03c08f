import Raft

/// Chapter 3: one proposal followed Ready by Ready through a three-node cluster, each Ready handled
/// in the four steps (persist, send, apply, advance); when `MustSync` is needed; and the same work
/// under asynchronous storage writes.
enum ReadyAdvanceScenario {
    static func run(_ trace: Trace) throws {
        let cluster = try Cluster(voters: [1, 2, 3], trace: trace)

        trace.heading("1. The leader's Ready: persist and send together")
        try cluster.establish(leader: 1)
        trace.say("Node 1 leads (elected quietly). A client proposes; nothing happens until the application asks for a Ready.")
        try cluster.propose(1, "x=1")
        cluster.detail = .steps
        try cluster.processReady(1)
        trace.say("""
            The new entry must reach the leader's disk, and the MsgApps may leave at the same time:
            the leader counts its own copy only when its acknowledgement (a MsgAppResp to itself,
            held back until advance) says the entry is stable.
            """)

        trace.heading("2. The followers' Readies: persist before acknowledging")
        try cluster.deliver()
        try cluster.processReady(2)
        try cluster.processReady(3)
        trace.say("""
            Each MsgAppResp promises that the entry is on the follower's disk, so it may only leave
            after step 1: MustSync is true because the Ready appends entries.
            """)

        trace.heading("3. Commit: MustSync=false")
        try cluster.deliver()
        try cluster.processReady(1)
        trace.say("""
            A quorum (node 1 and at least one follower) holds the entry, so the leader commits it
            and hands it over to apply. Only the commit index changed in its HardState: losing that
            in a crash is harmless (it is learned again from the leader), so no sync is needed.
            """)
        try cluster.deliver()
        try cluster.processReady(2)
        try cluster.processReady(3)
        cluster.detail = .messages
        try cluster.stabilize()
        cluster.showStatus()

        trace.heading("4. When must a Ready be synced?")
        let prev = HardState(term: 2, vote: 1, commit: 4)
        let cases: [(String, HardState, Int)] = [
            ("only the commit index moved", HardState(term: 2, vote: 1, commit: 5), 0),
            ("new entries to append", prev, 1),
            ("a vote was cast", HardState(term: 2, vote: 3, commit: 4), 0),
            ("a new term", HardState(term: 3, vote: 0, commit: 4), 0),
        ]
        for (what, hs, count) in cases {
            let sync = Ready.mustSync(hs, prev, entryCount: count)
            trace.say("  \(what): Ready.mustSync(\(hs), previous \(prev), entries: \(count)) = \(sync)")
        }
        trace.say("Term, vote and log entries are what a node promises others; the commit index is not.")

        trace.heading("5. Asynchronous storage writes")
        trace.say("""
            With Config.asyncStorageWrites, steps 1 and 3 become messages to local "threads"
            (MsgStorageAppend, MsgStorageApply) carried in Ready.messages. Their responses go
            back into raft with step; advance is not called. A single-node cluster, node 4:
            """)
        let single = try Cluster(voters: [4], trace: trace) { $0.asyncStorageWrites = true }
        try single.establish(leader: 4)
        single.detail = .readies
        try single.propose(4, "y=1")
        try single.stabilize()
        trace.say("""
            The append thread wrote the entry and then released the responses that waited for it:
            the leader's own MsgAppResp (which committed the entry) and MsgStorageAppendResp (which
            marks it stable). The next Ready sent the entry to the apply thread.
            """)
        single.showStatus()
    }
}
