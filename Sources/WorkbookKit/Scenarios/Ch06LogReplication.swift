import Raft

/// Chapter 6: how the leader replicates to each follower. A follower's progress moves from probe
/// to replicate; a slow follower fills its window of in-flight appends and is paused; the commit
/// index is what a majority holds; an unreachable follower is probed again.
enum LogReplicationScenario {
    static func run(_ trace: Trace) throws {
        let cluster = try Cluster(voters: [1, 2, 3], trace: trace) { config in
            config.maxInflightMsgs = 2
            // One entry per append (any entry exceeds one byte); apply without a size limit.
            config.maxSizePerMsg = 1
            config.maxCommittedSizePerReady = noLimit
        }

        trace.heading("1. Probe, then replicate")
        try cluster.campaign(1)
        try cluster.stabilize(holding: .appends(to: [2, 3]))
        trace.say("A new leader knows nothing of its followers' logs: each progress starts in probe, one append at a time.")
        try cluster.showProgress(1)
        try cluster.stabilize()
        trace.say("The first acknowledgement tells the leader where the follower's log ends: replicate.")
        try cluster.showProgress(1)

        trace.heading("2. A slow follower fills its window")
        for command in ["a=1", "b=2", "c=3", "d=4"] {
            try cluster.propose(1, command)
            try cluster.stabilize(holding: .appends(to: [3]))
        }
        trace.say("""
            With maxInflightMsgs = 2, the leader sent node 3 two appends that are still in flight
            and then paused it: the other entries wait in the leader's log, not in the network.
            """)
        try cluster.showProgress(1)
        let status = try cluster.server(1).rawNode.status()
        let matches = status.progress.values.map(\.match).sorted(by: >)
        let quorumIndex = matches[matches.count / 2]
        trace.say("""
            Commit: the match indexes, highest first, are \(matches). The one in the middle (\(quorumIndex)) is
            held by a majority, so it is the commit index: \(status.hardState.commit).
            """)
        try expect(quorumIndex == status.hardState.commit, "the commit index should be the majority's match")

        trace.heading("3. Acknowledgements open the window")
        try cluster.stabilize()
        trace.say("Each acknowledgement from node 3 freed a slot in its window, and the leader sent the next entry.")
        try cluster.showProgress(1)

        trace.heading("4. An unreachable follower is probed again")
        cluster.isolate(3)
        try cluster.propose(1, "e=5")
        try cluster.stabilize()
        let leader = try cluster.server(1).rawNode
        leader.reportUnreachable(3)
        trace.say("The transport failed to reach node 3 and says so (reportUnreachable): the leader stops streaming to it.")
        try cluster.showProgress(1)
        cluster.heal()
        try cluster.elapse(ticks: 1)
        trace.say("The next heartbeat's answer lets the leader probe again; the probe finds node 3's log and it replicates.")
        try cluster.showProgress(1)
        try expect(status.progress.count == 3, "three members")
    }
}
