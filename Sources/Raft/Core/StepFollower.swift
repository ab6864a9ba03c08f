/// How a follower handles messages: accept the leader's appends, heartbeats and snapshots,
/// forward proposals and reads to the leader, and campaign when told to by a transferring leader.
///
/// etcd: `stepFollower`.
package func stepFollower(_ r: RaftStateMachine, _ m: consuming Message) throws(RaftError) {
    switch m.type {
    case .msgProp:
        if r.lead == PeerID.none {
            r.logger.info("\(hex(r.id)) no leader at term \(r.term); dropping proposal")
            throw .proposalDropped
        } else if r.disableProposalForwarding {
            r.logger.info("\(hex(r.id)) not forwarding to leader \(hex(r.lead)) at term \(r.term); dropping proposal")
            throw .proposalDropped
        }
        try r.forwardToLeader(m)
    case .msgApp:
        r.electionElapsed = 0
        r.lead = m.from
        try r.handleAppendEntries(m)
    case .msgHeartbeat:
        r.electionElapsed = 0
        r.lead = m.from
        try r.handleHeartbeat(m)
    case .msgSnap:
        r.electionElapsed = 0
        r.lead = m.from
        try r.handleSnapshot(m)
    case .msgTransferLeader:
        if r.lead == PeerID.none {
            r.logger.info("\(hex(r.id)) no leader at term \(r.term); dropping leader transfer msg")
            return
        }
        try r.forwardToLeader(m)
    case .msgForgetLeader:
        // Under lease-based reads the leader relies on followers not electing anyone else while
        // its lease lasts, so forgetting it early would be unsafe.
        if r.readOnly.option == .leaseBased {
            r.logger.error("ignoring MsgForgetLeader due to ReadOnlyLeaseBased")
            return
        }
        if r.lead != PeerID.none {
            r.logger.info("\(hex(r.id)) forgetting leader \(hex(r.lead)) at term \(r.term)")
            r.lead = PeerID.none
        }
    case .msgTimeoutNow:
        r.logger.info("\(hex(r.id)) [term \(r.term)] received MsgTimeoutNow from \(hex(m.from)) and starts an election to get leadership.")
        // A transfer is not a recovery from a partition: no pre-vote round.
        r.hup(.transfer)
    case .msgReadIndex:
        if r.lead == PeerID.none {
            r.logger.info("\(hex(r.id)) no leader at term \(r.term); dropping index reading msg")
            return
        }
        try r.forwardToLeader(m)
    case .msgReadIndexResp:
        guard m.entries.count == 1 else {
            r.logger.error("\(hex(r.id)) invalid format of MsgReadIndexResp from \(hex(m.from)), entries count: \(m.entries.count)")
            return
        }
        r.readStates.append(ReadState(index: m.index, requestCtx: m.entries[0].data))
    default:
        break
    }
}

extension RaftStateMachine {
    /// Sends a proposal, read or transfer request on to the leader, as it was received.
    package func forwardToLeader(_ message: Message) throws(RaftError) {
        // Forwarded requests travel without a term; one that carries a term was not built by raft.
        guard message.term == 0 else {
            throw .invalidMessage("\(message.type) to forward carries term \(message.term)")
        }
        guard lead != id else {
            throw .invalidMessage("\(hex(id)) believes itself leader while following; not forwarding \(message.type)")
        }
        var m = message
        m.to = lead
        send(m)
    }

    /// Appends the leader's entries if our log matches at the entry before them; otherwise rejects
    /// with a hint of where the logs may agree.
    ///
    /// etcd: `raft.handleAppendEntries`.
    package func handleAppendEntries(_ m: Message) throws(RaftError) {
        // Checked once, here: the log below takes a slice's contiguity for granted.
        let a = LogSlice(msgApp: m)
        do { try a.valid() } catch { throw .invalidMessage("MsgApp from \(hex(m.from)): \(error)") }
        if a.prev.index < raftLog.committed {
            // Everything up to our commit index is settled; tell the leader where we are.
            send(Message(type: .msgAppResp, to: m.from, index: raftLog.committed))
            return
        }
        let appended: UInt64?
        do {
            if let yours = parts.maybeAppend {
                appended = try yours(raftLog, a.prev.index, a.prev.term, m.commit, a.entries)
            } else {
                appended = try raftLog.maybeAppend(a, committed: m.commit)
            }
        } catch {
            throw .invalidMessage(error.description)
        }
        if let lastNewIndex = appended {
            send(Message(type: .msgAppResp, to: m.from, index: lastNewIndex))
            return
        }
        logger.debug("\(hex(id)) [logterm: \(raftLog.zeroTermOnOutOfBounds(m.index)), index: \(m.index)] rejected "
            + "MsgApp [logterm: \(m.logTerm), index: \(m.index)] from \(hex(m.from))")
        // Hint the largest (index, term) at or before the probe whose term is at most the probe's:
        // every entry after it in our log has a higher term and cannot match the leader's log.
        let probe = min(m.index, raftLog.lastIndex())
        let hint = if let yours = parts.findConflictByTerm {
            yours(raftLog, probe, m.logTerm)
        } else {
            raftLog.findConflictByTerm(index: probe, term: m.logTerm)
        }
        send(Message(type: .msgAppResp, to: m.from, logTerm: hint.term, index: m.index, reject: true, rejectHint: hint.index))
    }

    /// etcd: `raft.handleHeartbeat`.
    package func handleHeartbeat(_ m: Message) throws(RaftError) {
        do { try raftLog.commitTo(m.commit) } catch { throw .invalidMessage(error.description) }
        send(Message(type: .msgHeartbeatResp, to: m.from, context: m.context))
    }

    /// etcd: `raft.handleSnapshot`.
    package func handleSnapshot(_ m: Message) throws(RaftError) {
        let s = m.snapshot ?? Snapshot()
        let sindex = s.metadata.index, sterm = s.metadata.term
        let restored = if let yours = parts.restore { try yours(self, s) } else { try restore(s) }
        if restored {
            logger.info("\(hex(id)) [commit: \(raftLog.committed)] restored snapshot [index: \(sindex), term: \(sterm)]")
            send(Message(type: .msgAppResp, to: m.from, index: raftLog.lastIndex()))
        } else {
            logger.info("\(hex(id)) [commit: \(raftLog.committed)] ignored snapshot [index: \(sindex), term: \(sterm)]")
            send(Message(type: .msgAppResp, to: m.from, index: raftLog.committed))
        }
    }

    /// Replaces the log and configuration with a snapshot's. Returns false when the snapshot is
    /// ignored: not newer than the commit index, or already matched by the log (then only the
    /// commit index moves).
    ///
    /// etcd: `raft.restore`.
    package func restore(_ s: Snapshot) throws(RaftError) -> Bool {
        if s.metadata.index <= raftLog.committed { return false }
        // No entry can follow a snapshot at the last possible index; the log would have nowhere to
        // resume (the unstable offset would wrap to 0, and RaftLog.restore stops the process).
        if s.metadata.index == .max {
            throw .invalidMessage("snapshot index \(s.metadata.index) is out of range")
        }
        if state != .follower {
            // Defense in depth: only followers restore snapshots.
            logger.warning("\(hex(id)) attempted to restore snapshot as leader; should never happen")
            becomeFollower(term: term + 1, lead: PeerID.none)
            return false
        }
        // More defense in depth: a snapshot whose configuration excludes us would leave us
        // without our own progress, which much of raft relies on. LearnersNext members are
        // outgoing voters, so they are covered.
        let cs = s.metadata.confState
        guard cs.voters.contains(id) || cs.learners.contains(id) || cs.votersOutgoing.contains(id) else {
            logger.warning("\(hex(id)) attempted to restore snapshot but it is not in the ConfState \(cs.protoText); should never happen")
            return false
        }
        let snapID = EntryID(term: s.metadata.term, index: s.metadata.index)
        if raftLog.matchTerm(snapID) {
            let last = raftLog.lastEntryID()
            logger.info("\(hex(id)) [commit: \(raftLog.committed), lastindex: \(last.index), lastterm: \(last.term)] "
                + "fast-forwarded commit to snapshot [index: \(snapID.index), term: \(snapID.term)]")
            do { try raftLog.commitTo(s.metadata.index) } catch { throw .invalidMessage(error.description) }
            return false
        }
        // Check the snapshot's configuration before touching anything: etcd would crash on a bad one.
        let fresh = ProgressTracker(maxInflight: trk.maxInflight, maxBytes: trk.maxInflightBytes)
        let cfg: ProgressTracker.Config, progress: ProgressMap
        do {
            (cfg, progress) = try Changer(tracker: fresh, lastIndex: s.metadata.index).restore(cs)
        } catch {
            throw .invalidMessage("unable to restore config \(cs.protoText): \(error)")
        }
        // The changes must rebuild exactly the stated membership. One that names a node twice, or
        // in two roles (voter and learner), comes out different; etcd panics on it after switching
        // to it. Refuse it while nothing has changed yet.
        var candidate = fresh
        candidate.config = cfg
        guard candidate.confState().isEquivalent(to: cs) else {
            throw .invalidMessage("snapshot config \(cs.protoText) is inconsistent; it restores as "
                + "\(candidate.confState().protoText)")
        }

        raftLog.restore(s)
        trk = fresh
        let restored = switchToConfig(cfg, progress)
        if !restored.isEquivalent(to: cs) {
            logger.panic("ConfStates not equivalent after sorting: \(restored) vs \(cs)")
        }
        let last = raftLog.lastEntryID()
        logger.info("\(hex(id)) [commit: \(raftLog.committed), lastindex: \(last.index), lastterm: \(last.term)] "
            + "restored snapshot [index: \(snapID.index), term: \(snapID.term)]")
        return true
    }
}
