import Raft

/// Chapter 5: linearizable reads with ReadIndex. A read on the leader, a read through a follower
/// that has to catch up before answering, a read on a leader that was cut off (it never gets an
/// answer), and a lease-based read (no heartbeat round, a trusted clock).
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
    }
}
