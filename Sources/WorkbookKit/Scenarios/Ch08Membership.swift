import Raft

/// Chapter 8: membership changes. A new node joins as a learner and is caught up by a snapshot;
/// then, in one joint change, it is promoted and node 3 removed: the cluster passes through the
/// joint configuration (both majorities needed) and leaves it automatically.
enum MembershipScenario {
    static func run(_ trace: Trace) throws {
        let cluster = try Cluster(voters: [1, 2, 3], trace: trace)

        trace.heading("1. Add node 4 as a learner")
        try cluster.establish(leader: 1, committing: ["x=1"])
        trace.say("Node 1 leads nodes 2 and 3, and x=1 is committed.")
        try cluster.proposeConfChange(1, ConfChangeV2(changes: [ConfChangeSingle(type: .confChangeAddLearnerNode, nodeID: 4)]))
        try cluster.stabilize()
        try showConfig(cluster, 1)
        trace.say("""
            Node 4 does not exist yet: the leader's appends to it are lost. Its application takes a
            snapshot that includes the new membership (a node only accepts a snapshot that lists
            it), and node 4 starts empty:
            """)
        try cluster.compact(1)
        try cluster.addServer(4)
        try cluster.elapse(ticks: 1)
        trace.say("""
            Node 4's answer to the heartbeat made the leader send it what it lacks. Those entries
            are compacted, so the leader sent the snapshot instead, which lists node 4 as a learner.
            """)
        try cluster.showProgress(1)

        trace.heading("2. Promote 4 and remove 3 at once: joint consensus")
        let change = ConfChangeV2(changes: [
            ConfChangeSingle(type: .confChangeAddNode, nodeID: 4),
            ConfChangeSingle(type: .confChangeRemoveNode, nodeID: 3),
        ])
        let autoLeave = change.enterJoint()
        trace.say("Two changes at once cannot be made directly: enterJoint() says joint=\(autoLeave != nil), autoLeave=\(autoLeave ?? false).")
        try cluster.proposeConfChange(1, change)
        trace.showsRaftLog = true
        try cluster.stabilize()
        trace.showsRaftLog = false
        trace.say("""
            Applying the change put every node in the joint configuration (1,2,4)&&(1,2,3), where
            an election or a commit needs a majority of both halves. Once the leader had applied
            it, raft proposed the empty conf change that leaves it; applying that made (1,2,4) the
            only configuration. Node 3's last acknowledgement came from a node no longer in it:
            RawNode.step refused it (stepPeerNotFound).
            """)
        try showConfig(cluster, 1)
        try expect(try cluster.server(1).confState.voters.sorted() == [1, 2, 4], "voters should be 1, 2, 4")

        trace.heading("3. Both majorities")
        let jointConfig = JointConfig(incoming: [1, 2, 4], outgoing: [1, 2, 3])
        let votes: [UInt64: Bool] = [1: true, 4: true, 2: false, 3: false]
        trace.say("""
            In (1,2,4)&&(1,2,3), votes from 1 and 4 win the incoming half but lose the outgoing one:
              JointConfig.voteResult = \(jointConfig.voteResult(votes))
            Neither the old nor the new voters can decide alone, so no two leaders can be elected
            across the change.
            """)

        cluster.removeServer(3)
        cluster.showStatus()
    }

    static func showConfig(_ cluster: Cluster, _ id: UInt64) throws {
        cluster.trace.mark(id, "configuration \(try cluster.server(id).rawNode.status().config)")
    }
}
