import Raft

// The liveness checks of a calm period (for scenarios where they apply: see
// `Scenario.livenessChecked`). Once faults stop (every member up, the network whole and
// reliable, no membership changes or transfers), raft must:
//
// 1. elect a leader within `Scenario.leaderBound` ticks (10 election timeouts): a node that leads
//    the highest term among the nodes that are up;
// 2. acknowledge every write within `Scenario.writeBound` ticks (10 election timeouts) of the
//    later of its proposal and the leader bound, plus the time to replicate the backlog of
//    uncommitted entries the faults left behind (`Scenario.backlogTicks`: 2 ticks per entry,
//    divided by the messages allowed in flight). This covers the writes still pending from the
//    chaos before: their clients keep retrying them.

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
            let deadline = max(w.issued, leaderDeadline) + scenario.writeBound + scenario.backlogTicks(calmBacklog)
            if now >= deadline {
                checker.fail(.writeStuckAfterHeal, "write w\(w.id) (proposed at step \(w.issued) through nodes "
                    + "\(w.attempts.map(String.init).joined(separator: ","))) not acknowledged \(now - max(w.issued, calm)) "
                    + "ticks after faults stopped at step \(calm) (bound: \(deadline - max(w.issued, calm)) ticks, "
                    + "backlog \(calmBacklog) entries); terms: " + termsDescription)
                return
            }
        }
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
