import Raft

/// Chapter 5: linearizable reads with ReadIndex. A read on the leader, a read through a follower
/// that has to catch up before answering, a read on a leader that was cut off (it never gets an
/// answer), and a lease-based read (no heartbeat round, a trusted clock). Part 5 cuts off a leader
/// whose clock may run slow (`--skew K`) and reads from it after a new leader has committed a newer
/// value: with `--lease` and enough skew, it answers from its lease: a stale read.
enum ReadIndexScenario {
    static func run(_ trace: Trace) throws {
        let cluster = try Cluster(voters: [1, 2, 3], trace: trace)

        trace.heading("1. A read on the leader")
        try cluster.establish(leader: 1, committing: ["x=1"])
        trace.say("Node 1 leads and x=1 is committed everywhere.")
        try cluster.read(1, key: "x")
        try cluster.stabilize()
        trace.say("""
            The leader noted its commit index as the read index and sent heartbeats carrying the
            request's context. Once a quorum (itself and one follower) acknowledged them it knew it
            was still the leader; the read state came out in a Ready and the application answered
            once it had applied up to the read index.
            """)

        trace.heading("2. A read through a follower that lags")
        try cluster.propose(1, "x=2")
        try cluster.stabilize(holding: .appends(to: [3]))
        trace.say("x=2 is committed by nodes 1 and 2; the appends to node 3 are slow and still on their way.")
        try cluster.read(3, key: "x")
        try cluster.stabilize(holding: .appends(to: [3]))
        trace.say("""
            Node 3 forwarded the request (MsgReadIndex) to the leader, whose heartbeat round
            (node 2's answer completed the quorum) confirmed it still leads; the read index came back in a
            MsgReadIndexResp. Node 3 has not applied that far, so it waits. The appends arrive:
            """)
        try cluster.stabilize()
        trace.say("Node 3 answered x=2, not the x=1 it held when the client asked.")
        let served = try cluster.server(3).servedReads.last?.answer
        try expect(served == "x=2", "node 3 should answer x=2, not \(served ?? "nothing")")

        trace.heading("3. A leader that was cut off cannot confirm a read")
        cluster.isolate(1)
        try cluster.establish(leader: 2, committing: ["x=3"])
        trace.say("Nodes 2 and 3 elected node 2 at term 2 and committed x=3. Node 1 still believes it leads term 1.")
        let answeredBefore = try cluster.server(1).servedReads.count
        try cluster.read(1, key: "x")
        try cluster.stabilize()
        let stale = try cluster.server(1).store["x"] ?? "(none)"
        trace.say("""
            Its heartbeats are lost, no quorum acknowledges them, and no read state comes out. Had
            node 1 simply answered from its own state, the client would have read x=\(stale) after
            x=3 was committed: a stale read.
            """)
        try expect(try cluster.server(1).servedReads.count == answeredBefore, "the cut-off leader must not answer")
        cluster.heal()
        try cluster.elapse(ticks: 1)
        trace.say("Back on the network, node 1 learns of term 2 and follows; the pending read is dropped. The client retries:")
        try cluster.read(1, key: "x")
        try cluster.stabilize()
        try expect(try cluster.server(1).servedReads.last?.answer == "x=3", "the retried read should see x=3")

        trace.heading("4. Lease-based reads")
        trace.say("""
            A second cluster (nodes 4, 5, 6) with ReadOnlyOption.leaseBased, which requires
            CheckQuorum: followers refuse votes while they heard from a leader within the election
            timeout, so the leader may assume for that long that nobody else leads.
            """)
        let lease = try Cluster(voters: [4, 5, 6], trace: trace) { config in
            config.checkQuorum = true
            config.readOnlyOption = .leaseBased
        }
        try lease.establish(leader: 4, committing: ["y=1"])
        try lease.read(4, key: "y")
        try lease.stabilize()
        trace.say("""
            No heartbeat round: the read state came out at once. That is only safe if the clocks
            tick at about the same rate: a leader whose clock runs slow believes its lease longer
            than the followers honour it.
            """)
        try slowClock(trace)
    }

    /// Part 5: a leader cut off while its clock runs `skew` ticks behind the others'. Once the
    /// other two have elected a new leader and committed y=2, a client reads y from the old one.
    static func slowClock(_ trace: Trace) throws {
        let options = trace.options
        let lease = options.leaseReads, skew = options.skew
        trace.heading("5. A read from a leader that was cut off, whose clock may run slow")
        let cluster = try Cluster(voters: [7, 8, 9], trace: trace) { config in
            config.checkQuorum = true
            config.readOnlyOption = lease ? .leaseBased : .safe
        }
        trace.say("""
            A third cluster (nodes 7, 8, 9), with CheckQuorum and \(lease
                ? "lease-based reads (--lease)."
                : "safe reads (ReadOnlyOption.safe; --lease switches to the lease).")
            Node 7 leads and y=1 is committed. Nine ticks later, one tick before node 7's CheckQuorum
            check, node 7 is cut off. That check still passes (the followers answered before the cut);
            the next one, ten ticks later by node 7's clock, steps it down.
            """)
        try cluster.establish(leader: 7, committing: ["y=1"])
        try trace.quietly { try cluster.elapse(ticks: 9) }
        cluster.isolate(7)
        trace.say(skew == 0
            ? "Node 7's clock keeps time with the others' (--skew K slows it)."
            : "Node 7's clock falls \(count(skew, "tick", "ticks")) behind the others' (--skew \(skew)): it misses their next \(count(skew, "tick", "ticks")).")
        cluster.showsLostMessages = false
        defer { cluster.showsLostMessages = true }

        // Time passes on every clock, node 7's slower, until nodes 8 and 9 have a new leader.
        var ticks = 0, missed = 0, steppedDownAt: Int?
        func tick() throws {
            ticks += 1
            for id in cluster.ids {
                if id == 7 && missed < skew {
                    missed += 1
                    continue
                }
                try cluster.tick(id)
            }
            try cluster.stabilize()
            if steppedDownAt == nil && cluster.role(7) != .leader { steppedDownAt = ticks }
        }
        func newLeader() -> UInt64? { [8, 9].first { cluster.role($0) == .leader } }
        try trace.quietly {
            while newLeader() == nil {
                guard ticks < 100 else { throw WorkbookError.unexpected("nodes 8 and 9 elected no leader") }
                try tick()
            }
        }
        guard let new = newLeader() else { throw WorkbookError.unexpected("no new leader") }
        try cluster.propose(new, "y=2")
        try cluster.stabilize()
        let committed = try cluster.server(new).store["y"]
        try expect(committed == "2", "node \(new) should have committed y=2")
        trace.say("""
            \(ticks) ticks after the cut (\(ticks - missed) by node 7's clock), nodes 8 and 9 have elected node \(new)
            at term \(cluster.term(new)) and committed y=2. \(steppedDownAt.map {
                "Node 7 had stepped down (CheckQuorum) \(count($0, "tick", "ticks")) after the cut." }
                ?? "Node 7 has not noticed: its second CheckQuorum\ncheck has not come yet by its clock, and it still leads term \(cluster.term(7)).")
            """)
        cluster.showStatus()

        let before = try cluster.server(7).servedReads.count
        let context = try cluster.read(7, key: "y")
        try cluster.stabilize()
        let answer = try cluster.server(7).servedReads.dropFirst(before).first { $0.context == context }?.answer
        if let answer, answer != "y=2" {
            trace.note(over: [7], "STALE READ: \(answer) after y=2 was committed")
            trace.say("""
                STALE READ: node 7 answered \(answer) from its lease, after node \(new) had committed y=2 at
                term \(cluster.term(new)). A lease-based read asks no one: node 7 still counts itself the leader
                because its slow clock has not yet run its CheckQuorum, while the others' clocks ran out
                the lease and elected a new leader. Linearizability is broken.
                """)
        } else if let answer {
            trace.say("Node 7 answered \(answer).")
        } else if cluster.role(7) == .leader {
            trace.say("""
                No answer: node 7 still believes it leads, but a safe read needs a heartbeat round, and
                no quorum acknowledges it. No stale read, whatever the clocks say.
                """)
        } else {
            trace.say("""
                No answer: node 7 is a follower that knows no leader, and drops the read. Its lease
                ended (it stepped down) before the new leader could commit anything: no stale read.
                """)
        }
        try expect(lease || answer == nil, "a safe read must not be answered by a cut-off leader")
        try expect(!(lease && skew == 0) || answer == nil || answer == "y=2",
                   "with clocks in step, the lease should have ended in time")

        cluster.heal()
        try cluster.elapse(until: { cluster.ids.allSatisfy { cluster.servers[$0]?.rawNode.basicStatus().lead == new } })
        trace.say("Back on the network, node 7 follows node \(new); a read there now sees y=2.")
        cluster.showStatus()
    }
}
