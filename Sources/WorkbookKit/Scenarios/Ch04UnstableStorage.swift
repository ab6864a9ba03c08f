import Raft

/// Chapter 4: the log's indexes as entries move from raft's unstable tail into storage, get
/// committed and applied; a conflicting tail replaced; compaction; and what raft reads from
/// storage (only reads).
enum UnstableStorageScenario {
    static func run(_ trace: Trace) throws {
        let cluster = try Cluster(voters: [1, 2, 3], trace: trace)

        trace.heading("1. The indexes")
        try cluster.establish(leader: 1)
        trace.say("""
            Every node started from a snapshot at index 1 (term 1); node 1 was then elected and
            appended its empty entry at index 2. The indexes, in log order:
              snapshot  the last index the snapshot covers; first = snapshot + 1
              applied   what the application has applied
              committed what a quorum holds
              stabled   the last index in storage (written by the application)
              last      the last index raft knows, possibly still unstable (only in memory)
            """)
        try show(cluster, 1)

        trace.heading("2. New entries: unstable, then stable, committed, applied")
        try cluster.propose(1, "x=1")
        try cluster.propose(1, "y=2")
        guard let rd = try cluster.takeReady(1) else { throw WorkbookError.unexpected("no Ready after proposing") }
        trace.say("Node 1 has handed out a Ready with \(count(rd.entries.count, "entry", "entries")); the application has not written them yet:")
        try show(cluster, 1, unstable: rd.entries)
        try cluster.handle(rd, on: 1)
        trace.say("Written to storage (MemoryStorage.append) and advanced: stabled catches up with last.")
        try show(cluster, 1)
        try trace.quietly { try cluster.stabilize() }
        trace.say("Once the followers acknowledged, committed and applied followed:")
        try show(cluster, 1)

        trace.heading("3. A conflicting tail is replaced")
        trace.showsRaftLog = true
        cluster.isolate(1)
        try trace.quietly {
            try cluster.propose(1, "x=lost")
            try cluster.propose(1, "y=lost")
            try cluster.stabilize()
        }
        trace.say("Cut off, node 1 still leads term 1 and appends two entries nobody else receives.")
        try cluster.establish(leader: 2, committing: ["z=3"])
        trace.say("Meanwhile nodes 2 and 3 elect node 2 at term 2, which commits its own entries.")
        for id in [1, 2] as [UInt64] { trace.say("  node \(id)'s stored log: \(try cluster.storedLog(id))") }
        cluster.heal()
        try cluster.elapse(ticks: 1)
        trace.say("""
            Node 2's heartbeat told node 1 about term 2. Node 2 probes from the last index it had
            when elected (4), which node 1 holds with the same term, so the append matched there.
            Raft's findConflict found the first entry that differs (index 5), truncateAndAppend
            replaced node 1's tail from there in the unstable log, and the application's
            storage.append overwrote the stored entries from that index on:
            """)
        for id in [1, 2] as [UInt64] { trace.say("  node \(id)'s stored log: \(try cluster.storedLog(id))") }
        try expect(try cluster.storedLog(1) == cluster.storedLog(2), "node 1's log should match the leader's")
        trace.showsRaftLog = false
        try show(cluster, 1)

        trace.heading("4. Compaction")
        try cluster.compact(2)
        try show(cluster, 2)
        trace.say("Entries up to the snapshot are gone from storage; their term survives only for the index just before first.")

        trace.heading("5. Raft only reads storage")
        let reads = try cluster.server(2).raftView.readCounts
        trace.say("What raft asked node 2's storage during this run (ObservedStorage counts each call):")
        for method in reads.keys.sorted() { trace.say("  \(method): \(reads[method] ?? 0)") }
        trace.say("""
            Storage has no method to write. Every write above (append, setHardState, applySnapshot,
            createSnapshot, compact) was the application's, on its MemoryStorage, between taking a
            Ready and calling advance.
            """)
    }

    static func show(_ cluster: Cluster, _ id: UInt64, unstable: [Entry] = []) throws {
        cluster.trace.say("  node \(id): " + (try cluster.layout(id, unstable: unstable)))
    }
}
