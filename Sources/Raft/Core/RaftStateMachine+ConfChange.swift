// Membership: applying a committed conf change, and switching to a new configuration.

extension RaftStateMachine {
    /// Applies a conf change the application has seen committed, and returns the new membership.
    ///
    /// etcd: `raft.applyConfChange` (which panics on an invalid change; we throw).
    package func applyConfChange(_ cc: ConfChangeV2) throws(ConfChangeError) -> ConfState {
        let changer = Changer(tracker: trk, lastIndex: raftLog.lastIndex())
        let cfg: ProgressTracker.Config, progress: ProgressMap
        if cc.leavesJoint {
            (cfg, progress) = if let yours = parts.leaveJoint { try yours(changer) } else { try changer.leaveJoint() }
        } else if let autoLeave = cc.enterJoint() {
            (cfg, progress) = try changer.enterJoint(autoLeave: autoLeave, cc.changes)
        } else {
            (cfg, progress) = try changer.simple(cc.changes)
        }
        return switchToConfig(cfg, progress)
    }

    /// Adopts a configuration (from a conf change or a snapshot) and reacts: a removed or demoted
    /// leader may step down; a leader may be able to commit more under the new quorum, and probes
    /// new members right away.
    ///
    /// etcd: `raft.switchToConfig`.
    @discardableResult
    package func switchToConfig(_ cfg: ProgressTracker.Config, _ progress: ProgressMap) -> ConfState {
        trk.config = cfg
        trk.progress = progress
        logger.info("\(hex(id)) switched to configuration \(trk.config)")
        let cs = trk.confState()
        let pr = trk.progress[id]
        isLearner = pr?.isLearner ?? false

        if (pr == nil || isLearner) && state == .leader {
            // Removed or demoted while leading. Stepping down is opt-in for compatibility.
            if stepDownOnRemoval { becomeFollower(term: term, lead: PeerID.none) }
            return cs
        }
        // The rest only concerns a leader with other members.
        guard state == .leader, !cs.voters.isEmpty else { return cs }

        if maybeCommit() {
            // The new quorum commits more: let everyone know.
            bcastAppend()
        } else {
            // Probe new members now instead of at the next heartbeat or proposal.
            trk.visit { to, _ in
                if to != id { maybeSendAppend(to, sendIfEmpty: false) }
            }
        }
        // A transfer to a node that is no longer a voter cannot finish.
        if leadTransferee != PeerID.none && !trk.config.voters.ids.contains(leadTransferee) {
            abortLeaderTransfer()
        }
        return cs
    }
}
