import Raft

/// Chapter 2: the four roles. Three nodes with PreVote and CheckQuorum elect a leader by their
/// own timers; a cut-off follower campaigns without raising its term; a cut-off leader steps down
/// and the others elect a new one (for a few ticks, two nodes believe they lead, at different
/// terms).
///
/// `--no-prevote` turns PreVote off: the cut-off follower's term climbs and its return deposes the
/// leader. `--no-checkquorum` turns CheckQuorum off: the cut-off leader never steps down and takes
/// a write that can never commit.
enum RaftRolesScenario {
    static func run(_ trace: Trace) throws {
        let options = trace.options
        trace.showsRaftLog = true
        let cluster = try Cluster(voters: [1, 2, 3], trace: trace) { config in
            config.preVote = options.preVote
            config.checkQuorum = options.checkQuorum
        }

        trace.heading("1. Three followers")
        trace.say("""
            Every node starts as a follower at term 0, knowing no leader. Its tick is tickElection
            and its step function stepFollower; its election timeout is drawn at random from
            [electionTick, 2*electionTick) = [10, 20) ticks.
            """)
        let off = [options.preVote ? nil : "PreVote (Config.preVote = false)",
                   options.checkQuorum ? nil : "CheckQuorum (Config.checkQuorum = false)"].compactMap { $0 }
        if !off.isEmpty { trace.say("This run turns off \(off.joined(separator: " and ")).") }
        cluster.showStatus()
        showRoleFunctions(cluster)

        trace.heading("2. An election timer fires")
        let ticks = try cluster.elapse(until: { cluster.leader != nil })
        if options.preVote {
            trace.say("""
                After \(ticks) ticks one node's timer fired. With PreVote it first became a pre-candidate
                (term unchanged) and asked whether it could win; only with a quorum of pre-votes did it
                become a candidate, raise its term and ask for real votes. A quorum of votes made it
                the leader, which appended an empty entry to commit something of its own term.
                """)
        } else {
            trace.say("""
                After \(ticks) ticks one node's timer fired. Without PreVote it became a candidate at
                once, raised its term and asked for votes. A quorum of votes made it the leader, which
                appended an empty entry to commit something of its own term.
                """)
        }
        guard let first = cluster.leader else { throw WorkbookError.unexpected("no leader elected") }
        cluster.showStatus()
        showRoleFunctions(cluster)

        trace.heading("3. The leader's tick: heartbeats")
        trace.say("The leader's tick is tickHeartbeat: every heartbeatTick (here 1) it sends MsgHeartbeat.")
        try cluster.elapse(ticks: 1)
        trace.say("Followers that hear from the leader reset their election timers, so none campaigns.")

        let follower = cluster.ids.first { $0 != first } ?? 0
        if options.preVote {
            try followerCutOffWithPreVote(cluster, follower: follower, leader: first)
        } else {
            try followerCutOffWithoutPreVote(cluster, follower: follower, leader: first)
        }

        guard let leader = cluster.leader else { throw WorkbookError.unexpected("no leader before part 5") }
        try leaderCutOff(cluster, leader: leader)
    }

    /// Part 4 with PreVote: the cut-off follower stays a pre-candidate at its term, and rejoins
    /// without disturbing anyone.
    static func followerCutOffWithPreVote(_ cluster: Cluster, follower: UInt64, leader: UInt64) throws {
        let trace = cluster.trace
        trace.heading("4. A follower is cut off: PreVote keeps the term")
        cluster.isolate(follower)
        try trace.quietly { try cluster.elapse(ticks: 30) }
        trace.say("""
            Thirty ticks later node \(follower) has timed out again and again, but as a pre-candidate: its
            pre-votes were lost, so it never became a candidate and its term did not move.
            """)
        cluster.showStatus()
        try expect(cluster.term(follower) == cluster.term(leader), "the cut-off follower's term moved")
        cluster.heal()
        try cluster.elapse(ticks: 1)
        trace.say("The leader's next heartbeat brings node \(follower) back as a follower; nobody was disrupted.")
        cluster.showStatus()
        try expect(cluster.leader == leader, "the leader should not have changed")
    }

    /// Part 4 without PreVote (`--no-prevote`): every timeout of the cut-off follower raises its
    /// term; when it comes back, its term forces a new election.
    static func followerCutOffWithoutPreVote(_ cluster: Cluster, follower: UInt64, leader: UInt64) throws {
        let trace = cluster.trace
        let before = cluster.term(leader)
        trace.heading("4. A follower is cut off: without PreVote its term climbs")
        cluster.isolate(follower)
        var terms = [cluster.term(follower)]
        try trace.quietly {
            for _ in 0..<60 {
                try cluster.elapse(ticks: 1)
                if cluster.term(follower) != terms.last { terms.append(cluster.term(follower)) }
            }
        }
        let inflated = cluster.term(follower)
        trace.say("""
            Sixty ticks later node \(follower) has timed out again and again, each time as a candidate:
            every campaign raised its term (\(terms.map(String.init).joined(separator: " -> "))) and its votes were lost.
            The leader, node \(leader), is still at term \(before).
            """)
        cluster.showStatus()
        try expect(inflated > before, "without PreVote the cut-off follower's term should climb")
        cluster.heal()
        let waited = try cluster.elapse(until: { settled(cluster) })
        let now = cluster.leader ?? 0
        let how = options(cluster).checkQuorum
            ? "node \(follower) answered its heartbeat with the higher term, which deposed it"
            : "node \(follower)'s next campaign, at a higher term still, made everyone follow it"
        trace.note(over: [follower, leader], "term inflation: node \(follower) at term \(inflated) deposed node \(leader) (term \(before))")
        trace.say("""
            TERM INFLATION: node \(follower) came back at term \(inflated) with nothing new in its log, and still
            the healthy leader (node \(leader), term \(before)) had to go: \(how).
            No leader until a new election: \(waited) ticks after the heal, node \(now) leads term \(cluster.term(now)).
            """)
        cluster.showStatus()
        try expect(cluster.term(now) > before, "the rejoining follower should have forced a new term")
    }

    /// Part 5: the leader is cut off. The others elect a new leader; the old one steps down by
    /// CheckQuorum, or (`--no-checkquorum`) goes on leading alone and accepts a write that can
    /// never commit.
    static func leaderCutOff(_ cluster: Cluster, leader old: UInt64) throws {
        let trace = cluster.trace
        let checkQuorum = options(cluster).checkQuorum
        let oldTerm = cluster.term(old)
        trace.heading(checkQuorum ? "5. The leader is cut off: CheckQuorum steps it down"
                                  : "5. The leader is cut off: without CheckQuorum it leads alone")
        cluster.isolate(old)
        trace.say("(Node \(old)'s heartbeats to the others are lost every tick; they are left out below.)")
        cluster.showsLostMessages = false
        defer { cluster.showsLostMessages = true }

        // a. The others' timers fire and one of them wins. Nothing here is hidden but lost messages.
        let waited = try cluster.elapse(until: { newLeader(cluster, besides: old) != nil })
        guard let new = newLeader(cluster, besides: old) else { throw WorkbookError.unexpected("no new leader") }
        if cluster.role(old) == .leader {
            trace.note(over: [old, new], "two leaders: node \(new) at term \(cluster.term(new)), node \(old) at term \(oldTerm)")
            trace.say("""
                \(waited) ticks after the cut, node \(new) leads term \(cluster.term(new)), and node \(old) still
                believes it leads term \(oldTerm): for now there are TWO LEADERS, at different terms. Only
                node \(new) can commit anything: node \(old)'s appends reach no quorum.
                """)
        } else {
            trace.say("""
                Node \(old) no longer heard from a quorum and stepped down before the others elected node \(new)
                at term \(cluster.term(new)), \(waited) ticks after the cut.
                """)
        }
        cluster.showStatus()

        // b. The old leader, under CheckQuorum or not.
        if checkQuorum {
            if cluster.role(old) == .leader {
                let ticks = try cluster.elapse(until: { cluster.role(old) != .leader })
                trace.say("""
                    \(count(ticks, "tick", "ticks")) later node \(old)'s election-timeout check (MsgCheckQuorum) found that no
                    quorum had answered it since the previous check, and it stepped down to follower.
                    """)
                cluster.showStatus()
            }
            try expect(cluster.role(old) != .leader, "CheckQuorum should have stepped node \(old) down")
            let accepted = try cluster.propose(old, "x=9")
            try expect(!accepted, "a follower without a leader should refuse a proposal")
            trace.say("""
                A client that still writes to node \(old) is refused at once (it knows no leader), and can
                look for the real one.
                """)
            try cluster.stabilize()
        } else {
            try expect(cluster.role(old) == .leader, "without CheckQuorum node \(old) should still lead")
            let accepted = try cluster.propose(old, "x=9")
            try cluster.stabilize()
            try expect(accepted, "the stale leader should accept the proposal")
            let index = try cluster.server(old).storage.lastIndex()
            trace.note(over: [old], "stale leader: accepted x=9 at index \(index), never committed")
            trace.say("STALE LEADER: node \(old), cut off, still leads term \(oldTerm) and accepted the write x=9 "
                + "as entry \(oldTerm)/\(index); it can never commit.")
            try trace.quietly { try cluster.elapse(ticks: 20) }
            let commit = try cluster.server(old).rawNode.basicStatus().commit
            trace.say("""
                Twenty ticks later node \(old) is still a leader (nothing tells it otherwise without
                CheckQuorum), its log is \(try cluster.storedLog(old)) and its commit index \(commit): x=9
                waits for acknowledgements that cannot come, and its client waits with it.
                """)
            cluster.showStatus()
            try expect(cluster.role(old) == .leader && commit < index, "the stale leader's write should stay uncommitted")
        }

        cluster.heal()
        try cluster.elapse(until: { settled(cluster) })
        trace.say("Back on the network, node \(old) sees the higher term and follows the new leader.")
        cluster.showStatus()
        try expect(cluster.leader != old, "the old leader should follow")
        if !checkQuorum {
            let x = try cluster.server(old).store["x"]
            trace.say("""
                Node \(old)'s uncommitted entry was replaced by the new leader's entry at the same index
                (log now \(try cluster.storedLog(old))): the write x=9 is gone (x is \(x ?? "unset") on node \(old)), although
                Propose had accepted it.
                """)
            try expect(x != "9", "the stale leader's write must not be applied")
        }
    }

    /// The leader other than `old` with the highest term, if there is one.
    static func newLeader(_ cluster: Cluster, besides old: UInt64) -> UInt64? {
        cluster.ids.filter { $0 != old && cluster.role($0) == .leader }.max { cluster.term($0) < cluster.term($1) }
    }

    /// One leader, which every other node follows, all at its term.
    static func settled(_ cluster: Cluster) -> Bool {
        guard let leader = cluster.leader else { return false }
        return cluster.ids.allSatisfy { id in
            guard let status = cluster.servers[id]?.rawNode.basicStatus() else { return false }
            return status.term == cluster.term(leader) && status.lead == leader
                && (id == leader || status.raftState == .follower)
        }
    }

    static func options(_ cluster: Cluster) -> RunOptions { cluster.trace.options }

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
