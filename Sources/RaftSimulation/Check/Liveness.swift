import Raft

// The liveness checks of a calm period (for scenarios where they apply: see
// `Scenario.livenessChecked`). Once faults stop (every member up, the network whole and
// reliable, no membership changes or transfers), raft must:
//
// 1. elect a leader within `Scenario.leaderBound` ticks (10 election timeouts): a node that leads
//    the highest term among the nodes that are up;
// 2. acknowledge every write within `Scenario.writeBound` ticks (10 election timeouts) of the
//    later of its proposal and the leader bound, plus the time to replicate the backlog the faults
//    left behind (`replicationBacklog`, at `Scenario.backlogTicks`: 2 ticks per entry, divided by
//    the messages allowed in flight). This covers the writes still pending from the chaos before:
//    their clients keep retrying them. A write that raft accepts again during the calm gets the
//    later of that and the same bound taken when the copy was accepted, with the backlog of that
//    moment: in a slow configuration (one small append in flight) the clients' retries can add
//    entries faster than they replicate, so the queue ahead of a write grows after the calm
//    starts although replication never stops (seed 86910: 64-byte appends, one in flight, the
//    log 60 entries ahead of the slowest voter of the majority and growing). The earliest such
//    bound of the calm counts, so a cluster that stops committing is still caught.

extension Simulator {
    /// End-of-step checks: liveness in calm periods.
    func endStep() {
        guard scenario.livenessChecked, let calm = timeline.calmStart(containing: now) else { return }
        if calmLeaderFound == nil, hasSettledLeader {
            calmLeaderFound = now
            stats.maxTicksToLeader = max(stats.maxTicksToLeader, now - calm)
            stats.maxElectionTimeoutsToLeader = max(stats.maxElectionTimeoutsToLeader,
                                                    Double(now - calm) / Double(scenario.electionTick))
        }
        if calmStalled { return }
        let leaderDeadline = calm + scenario.leaderBound
        if calmLeaderFound == nil && now >= leaderDeadline {
            if let stall = membershipStall {
                // Known etcd limitation, counted apart: no bound holds until it clears.
                calmStalled = true
                stats.membershipStalls += 1
                trace.add(now, .note("membership stall (etcd-io/etcd#12359): " + stall))
                if stats.firstMembershipStall == nil { stats.firstMembershipStall = "seed \(scenario.seed) step \(now): \(stall)" }
                return
            }
            checker.fail(.noLeaderAfterHeal, "no leader \(now - calm) ticks after faults stopped at step \(calm) "
                + "(bound: \(scenario.leaderBound) ticks); terms: " + termsDescription)
            return
        }
        for w in clients.pending {
            var deadline = max(w.issued, leaderDeadline) + scenario.writeBound + scenario.backlogTicks(calmBacklog)
            if let d = w.calmDeadline, d.calm == calm { deadline = max(deadline, d.step) }
            if now >= deadline {
                checker.fail(.writeStuckAfterHeal, "write w\(w.id) (proposed at step \(w.issued) through nodes "
                    + "\(w.attempts.map(String.init).joined(separator: ","))) not acknowledged \(now - max(w.issued, calm)) "
                    + "ticks after faults stopped at step \(calm) (bound: \(deadline - max(w.issued, calm)) ticks, "
                    + "backlog \(calmBacklog) entries); terms: " + termsDescription)
                return
            }
        }
    }

    /// The entries that must still reach a quorum before a new write can commit, when a calm
    /// period starts: for each voter set (incoming and outgoing) of the applied configuration of
    /// each running node that could lead (it holds the whole committed log), the longest log's
    /// last index minus what the fastest majority of that set holds (the majority's slowest
    /// member); the largest of these, and never less than the uncommitted tail of the longest log.
    /// (A node still replaying old entries has applied an old configuration, maybe of nodes long
    /// gone; it cannot lead before it catches up, so its configuration does not count. Nor does a
    /// voter set without a majority of running nodes: waiting longer would not help it, and the
    /// checks must still catch it.)
    ///
    /// Counting only the uncommitted tail is not enough: raft lets a configuration take effect
    /// while most of its voters are far behind the commit index. Voters added with empty logs
    /// replay the whole log (no snapshot when the log was never compacted), and once the voters
    /// that were caught up are no longer a majority (a removal, here of the leader itself:
    /// without `stepDownOnRemoval` it stays leader and drops every proposal, as etcd's
    /// `stepLeader` does, until the simulated operator retires it, which waits for a majority of
    /// the new voters to know the removal committed), no new entry commits before the lagging
    /// voters have received every entry up to it. With a small `maxSizePerMsg` and
    /// `maxInflightMsgs` 1 that is about one entry per round trip (seed 32028: voters 12 and 14,
    /// added at steps 977 and 1040, held 194 and 131 of the leader's 421 entries when the calm
    /// started at step 1130, and gained about 1.5 entries a tick from then on).
    var replicationBacklog: Int {
        let longest = nodes.compactMap { $0.raw?.logBounds.last }.max() ?? 0
        let committed = checker.committedIndex
        var backlog = longest - min(longest, committed)
        var held: [UInt64: UInt64] = [:]
        func holds(_ id: UInt64) -> UInt64 {
            if let h = held[id] { return h }
            let h = node(id).map { heldIndex($0) } ?? 0
            held[id] = h
            return h
        }
        for n in nodes where n.isUp && holds(n.id) >= committed {
            let cs = n.app.confState
            for set in [cs.voters, cs.votersOutgoing] where !set.isEmpty {
                let majority = set.count / 2 + 1
                let reaches = set.filter { node($0)?.isUp == true }.map(holds).sorted(by: >)
                // Without a running majority nothing commits however long it waits: not a backlog.
                guard reaches.count >= majority else { continue }
                backlog = max(backlog, longest - min(longest, reaches[majority - 1]))
            }
        }
        return Int(backlog)
    }

    /// The last index of the part of a running node's log that agrees with the committed log
    /// (its whole log when that reaches past the commit index); 0 for a node that is not running.
    /// A stale tail from an old term, below the commit index, does not count: the node has to
    /// receive those entries again.
    private func heldIndex(_ node: SimNode) -> UInt64 {
        guard node.isUp, let raw = node.raw else { return 0 }
        let (first, last) = raw.logBounds
        let top = min(last, checker.committedIndex)
        var i = top
        // Below `first` the entries are in the node's snapshot, which holds committed ones only.
        while i >= first {
            let known = checker.committedTerms[Int(i)]
            if known == 0 || raw.logTerm(at: i) == known { break }
            i -= 1
        }
        return i == top ? last : i
    }

    /// A removed node that some remaining member still counts as a voter, if any.
    ///
    /// etcd applies a membership change when it is committed and applied, not when it is
    /// appended. When the leader that committed a removal loses leadership (it stepped down on
    /// its removal, lost its quorum, crashed) before the others learn the removal committed, they
    /// still need the removed node's vote in their (old or joint) configuration, and it cannot
    /// campaign itself and refuses candidates whose log is shorter than its own: the cluster may
    /// stay without a leader for good (etcd-io/etcd#12359). etcd's server avoids the common case
    /// by having a removed leader hand over leadership before it stops.
    var membershipStall: String? {
        for r in retiring {
            let waiting = r.remaining.filter { id in
                guard let m = node(id), m.isUp else { return false }
                let cs = m.app.confState
                return cs.voters.contains(r.id) || cs.votersOutgoing.contains(r.id)
            }
            if !waiting.isEmpty {
                return "n\(r.id), removed at index \(r.index), is still a voter for "
                    + waiting.map { "n\($0)" }.joined(separator: ", ") + ", which do not know the removal committed"
            }
        }
        return nil
    }

    /// Whether a node that is up leads the highest term of all nodes that are up.
    var hasSettledLeader: Bool {
        var highest: UInt64 = 0
        var leaderTerm: UInt64 = 0
        for node in nodes where node.isUp {
            highest = max(highest, node.seenTerm)
            if node.seenState == .leader { leaderTerm = max(leaderTerm, node.seenTerm) }
        }
        return leaderTerm > 0 && leaderTerm == highest
    }

    /// Each node that is up with its role, term, commit and applied index, and the leader's
    /// configuration and view of its followers, for liveness reports.
    var termsDescription: String {
        var parts: [String] = []
        for node in nodes where node.isUp {
            guard let raw = node.raw else { continue }
            let st = raw.status()
            var s = "n\(node.id) \(st.softState.raftState) t\(st.hardState.term) commit \(st.hardState.commit) applied \(st.applied)"
            s += " [\(st.config)]"
            if st.softState.raftState == .leader {
                s += " progress " + st.progress.keys.sorted().map { id in
                    let p = st.progress[id]!
                    return "\(id):\(p.state) match \(p.match) next \(p.next)"
                }.joined(separator: ", ")
            }
            parts.append(s)
        }
        return parts.joined(separator: "; ")
    }
}
