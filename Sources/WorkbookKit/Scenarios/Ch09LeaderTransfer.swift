import Raft

/// Chapter 9: leadership transfer. To an up-to-date follower the leader sends MsgTimeoutNow at
/// once; to a lagging one it first sends the missing entries, refusing proposals meanwhile.
enum LeaderTransferScenario {
    static func run(_ trace: Trace) throws {
        let cluster = try Cluster(voters: [1, 2, 3], trace: trace) { $0.preVote = true }

        trace.heading("1. To an up-to-date follower")
        try cluster.establish(leader: 1, committing: ["x=1"])
        trace.say("Node 1 leads (PreVote on), and x=1 is committed everywhere.")
        trace.showsRaftLog = true
        try cluster.transferLeadership(from: 1, to: 2)
        try cluster.stabilize()
        trace.showsRaftLog = false
        try cluster.expectLeader(2)
        trace.say("""
            Node 2's log matched the leader's, so MsgTimeoutNow went out at once. Node 2 campaigned
            immediately, skipping the pre-vote (a transfer is not a partition), and its vote
            requests are marked as a transfer so that followers grant them although they heard
            from a leader recently.
            """)

        trace.heading("2. To a lagging follower")
        try cluster.propose(2, "y=2")
        try cluster.stabilize(holding: .appends(to: [3]))
        trace.say("y=2 is committed by nodes 1 and 2; node 3 has not received it.")
        trace.showsRaftLog = true
        try cluster.transferLeadership(from: 2, to: 3)
        trace.showsRaftLog = false
        try expect(!(try cluster.propose(2, "z=3")), "proposals should be refused during a transfer")
        trace.say("While the transfer is under way, the leader refuses proposals: its log must stop growing for node 3 to catch up.")
        trace.showsRaftLog = true
        try cluster.stabilize()
        trace.showsRaftLog = false
        try cluster.expectLeader(3)
        trace.say("Node 3 caught up; the leader sent MsgTimeoutNow on its acknowledgement, and node 3 won.")
        cluster.showStatus()
    }
}
