import Raft

/// Chapter 2: the four roles. Three nodes with PreVote and CheckQuorum elect a leader by their
/// own timers; a cut-off follower campaigns without raising its term; a cut-off leader steps down
/// and the others elect a new one.
enum RaftRolesScenario {
    static func run(_ trace: Trace) throws {
        trace.showsRaftLog = true
        let cluster = try Cluster(voters: [1, 2, 3], trace: trace) { config in
            config.preVote = true
            config.checkQuorum = true
        }

        trace.heading("1. Three followers")
        trace.say("""
            Every node starts as a follower at term 0, knowing no leader. Its tick is tickElection
            and its step function stepFollower; its election timeout is drawn at random from
            [electionTick, 2*electionTick) = [10, 20) ticks.
            """)
        cluster.showStatus()
        showRoleFunctions(cluster)

        trace.heading("2. An election timer fires")
        let ticks = try cluster.elapse(until: { cluster.leader != nil })
        trace.say("""
            After \(ticks) ticks one node's timer fired. With PreVote it first became a pre-candidate
            (term unchanged) and asked whether it could win; only with a quorum of pre-votes did it
            become a candidate, raise its term and ask for real votes. A quorum of votes made it
            the leader, which appended an empty entry to commit something of its own term.
            """)
        guard let first = cluster.leader else { throw WorkbookError.unexpected("no leader elected") }
        cluster.showStatus()
        showRoleFunctions(cluster)

        trace.heading("3. The leader's tick: heartbeats")
        trace.say("The leader's tick is tickHeartbeat: every heartbeatTick (here 1) it sends MsgHeartbeat.")
        try cluster.elapse(ticks: 1)
        trace.say("Followers that hear from the leader reset their election timers, so none campaigns.")

        let follower = cluster.ids.first { $0 != first } ?? 0
        trace.heading("4. A follower is cut off: PreVote keeps the term")
        cluster.isolate(follower)
        try trace.quietly { try cluster.elapse(ticks: 30) }
        trace.say("""
            Thirty ticks later node \(follower) has timed out again and again, but as a pre-candidate: its
            pre-votes were lost, so it never became a candidate and its term did not move.
            """)
        cluster.showStatus()
        try expect(cluster.term(follower) == cluster.term(first), "the cut-off follower's term moved")
        cluster.heal()
        try cluster.elapse(ticks: 1)
        trace.say("The leader's next heartbeat brings node \(follower) back as a follower; nobody was disrupted.")
        cluster.showStatus()

        trace.heading("5. The leader is cut off: CheckQuorum steps it down")
        cluster.isolate(first)
        try trace.quietly {
            try cluster.elapse(until: { cluster.leader != nil && cluster.leader != first && cluster.role(first) != .leader })
        }
        trace.say("""
            Node \(first) no longer hears from a quorum: at its next election-timeout check
            (MsgCheckQuorum) it stepped down to follower. The others' timers fired, and one of
            them won a pre-vote and a vote at a higher term.
            """)
        cluster.showStatus()
        cluster.heal()
        try cluster.elapse(ticks: 1)
        trace.say("Back on the network, node \(first) sees the higher term and follows the new leader.")
        cluster.showStatus()
        try expect(cluster.leader != first, "the old leader should follow")
    }

    /// Which step and tick functions each node's role installs (`stepForRole`, `tickForRole`).
    static func showRoleFunctions(_ cluster: Cluster) {
        for id in cluster.ids {
            let functions: String
            switch cluster.role(id) {
            case .follower: functions = "stepFollower, tickElection"
            case .preCandidate, .candidate: functions = "stepCandidate, tickElection"
            case .leader: functions = "stepLeader, tickHeartbeat"
            }
            cluster.trace.say("  node \(id) runs \(functions)")
        }
    }
}
