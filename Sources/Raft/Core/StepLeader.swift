/// How a leader handles messages: proposals, replication responses, heartbeats, reads, snapshot
/// and reachability reports, leadership transfer.
///
/// etcd: `stepLeader`.
package func stepLeader(_ r: RaftStateMachine, _ m: consuming Message) throws(RaftError) {
    // These message types need no progress for the sender.
    switch m.type {
    case .msgBeat:
        r.bcastHeartbeat()
        return
    case .msgCheckQuorum:
        if !r.quorumActive() {
            r.logger.warning("\(hex(r.id)) stepped down to follower since quorum is not active")
            r.becomeFollower(term: r.term, lead: PeerID.none)
        }
        // Everyone but the leader must prove to be alive again before the next check.
        r.trk.visit { id, pr in
            if id != r.id { pr.recentActive = false }
        }
        return
    case .msgProp:
        try r.handleProposal(m)
        return
    case .msgReadIndex:
        if let yours = r.parts.handleReadIndex { yours(r, m) } else { r.handleReadIndex(m) }
        return
    case .msgForgetLeader:
        return
    default:
        break
    }

    // The rest are about one follower and need its progress.
    guard let pr = r.trk.progress(of: m.from) else {
        r.logger.debug("\(hex(r.id)) no progress available for \(hex(m.from))")
        return
    }
    switch m.type {
    case .msgAppResp:
        // An acknowledgement beyond our last index cannot come from this leadership: followers
        // only acknowledge entries we sent them, and our log does not shrink within our term.
        // etcd trusts it, moves the follower's match past our log, then finds no entry to send
        // and panics for want of a snapshot; we refuse it.
        if !m.reject && m.index > r.raftLog.lastIndex() {
            throw .invalidMessage("\(hex(r.id)) received MsgAppResp from \(hex(m.from)) for index \(m.index) "
                + "beyond its last index \(r.raftLog.lastIndex())")
        }
        // Also reached from RawNode.advance, with the leader acknowledging its own entries.
        pr.recentActive = true
        if m.reject {
            if let yours = r.parts.handleAppendRejection { yours(r, m, pr) } else { r.handleAppendRejection(m, pr) }
        } else {
            r.handleAppendSuccess(m, pr)
        }

    case .msgHeartbeatResp:
        pr.recentActive = true
        pr.msgAppFlowPaused = false
        // A paused (full) follower still gets an empty append, so that it recovers if the appends
        // that filled its window were lost; a probing one gets one to move back to replicating.
        if pr.match < r.raftLog.lastIndex() || pr.state == .probe {
            r.sendAppend(m.from)
        }
        guard r.readOnly.option == .safe, !m.context.isEmpty else { return }
        let acks = r.readOnly.recvAck(m.from, m.context)
        guard r.voteResult(acks) == .voteWon else { return }
        let confirmed = if let yours = r.parts.readOnlyAdvance { yours(&r.readOnly, m) } else { r.readOnly.advance(m) }
        for rs in confirmed {
            if let resp = r.responseToReadIndexReq(rs.req, readIndex: rs.index) { r.send(resp) }
        }

    case .msgSnapStatus:
        guard pr.state == .snapshot else { return }
        if !m.reject {
            pr.becomeProbe()
            r.logger.debug("\(hex(r.id)) snapshot succeeded, resumed sending replication messages to \(hex(m.from)) [\(pr)]")
        } else {
            // Forget the snapshot first, or probing would start after an index never applied.
            pr.pendingSnapshot = 0
            pr.becomeProbe()
            r.logger.debug("\(hex(r.id)) snapshot failed, resumed sending replication messages to \(hex(m.from)) [\(pr)]")
        }
        // After a success, wait for the follower's append response before the next append; after a
        // failure, wait for a heartbeat interval before trying again.
        pr.msgAppFlowPaused = true

    case .msgUnreachable:
        // While replicating optimistically, an unreachable follower probably lost an append.
        if pr.state == .replicate { pr.becomeProbe() }
        r.logger.debug("\(hex(r.id)) failed to send message to \(hex(m.from)) because it is unreachable [\(pr)]")

    case .msgTransferLeader:
        if let yours = r.parts.handleTransferLeader { yours(r, m, pr) } else { r.handleTransferLeader(m, pr) }

    default:
        break
    }
}

extension RaftStateMachine {
    /// Appends proposed entries, after checking any conf change among them against the active
    /// configuration (a refused one is replaced by an empty normal entry, keeping the indexes).
    ///
    /// etcd: the `MsgProp` case of `stepLeader`.
    package func handleProposal(_ message: consuming Message) throws(RaftError) {
        // A leader removed from the configuration takes no new proposals.
        guard trk.progress(of: id) != nil else { throw .proposalDropped }
        if leadTransferee != PeerID.none {
            logger.debug("\(hex(id)) [term \(term)] transfer leadership to \(hex(leadTransferee)) is in progress; dropping proposal")
            throw .proposalDropped
        }
        var m = message
        // Decode every conf change first: a malformed one refuses the whole proposal.
        var confChanges: [(Int, any ConfChangeI)] = []
        for (i, e) in m.entries.enumerated() {
            do {
                switch e.type {
                case .entryConfChange: confChanges.append((i, try ConfChange(unmarshaling: e.data)))
                case .entryConfChangeV2: confChanges.append((i, try ConfChangeV2(unmarshaling: e.data)))
                case .entryNormal: break
                }
            } catch {
                throw .invalidMessage("malformed conf change in proposal: \(error)")
            }
        }
        for (i, cc) in confChanges {
            let alreadyPending = pendingConfIndex > raftLog.applied
            let alreadyJoint = !trk.config.voters.outgoing.isEmpty
            let wantsLeaveJoint = cc.asV2().changes.isEmpty
            var failedCheck: String?
            if alreadyPending {
                failedCheck = "possible unapplied conf change at index \(pendingConfIndex) (applied to \(raftLog.applied))"
            } else if alreadyJoint && !wantsLeaveJoint {
                failedCheck = "must transition out of joint config first"
            } else if !alreadyJoint && wantsLeaveJoint {
                failedCheck = "not in joint state; refusing empty conf change"
            }
            if let failedCheck, !disableConfChangeValidation {
                logger.info("\(hex(id)) ignoring conf change \(describeConfChange(cc)) at config \(trk.config): \(failedCheck)")
                m.entries[i] = Entry(type: .entryNormal)
            } else {
                pendingConfIndex = raftLog.lastIndex() + UInt64(i) + 1
            }
        }
        // Hand the entries over rather than copy them: with the message consumed, `proposed` is
        // then the array's only owner and appendEntry stamps it in place.
        let proposed = m.entries
        m.entries = []
        guard appendEntry(proposed) else { throw .proposalDropped }
        bcastAppend()
    }

    /// A follower refused an append because its log does not match at `m.index`. Back off to a
    /// better guess of where the logs agree and probe there.
    ///
    /// The follower's hint is the last (index, term) at or before the probe where its log might
    /// agree with ours; any of our indexes after our last entry with a term <= the hinted term
    /// cannot match, so we skip them all and probe at most once per term.
    ///
    /// etcd: the rejected `MsgAppResp` case of `stepLeader`.
    package func handleAppendRejection(_ m: Message, _ pr: Progress) {
        logger.debug("\(hex(id)) received MsgAppResp(rejected, hint: (index \(m.rejectHint), term \(m.logTerm))) "
            + "from \(hex(m.from)) for index \(m.index)")
        var nextProbeIdx = m.rejectHint
        if m.logTerm > 0 {
            nextProbeIdx = if let yours = parts.findConflictByTerm {
                yours(raftLog, m.rejectHint, m.logTerm).index
            } else {
                raftLog.findConflictByTerm(index: m.rejectHint, term: m.logTerm).index
            }
        }
        let decreased = if let yours = parts.maybeDecrTo {
            yours(pr, m.index, nextProbeIdx)
        } else {
            pr.maybeDecrTo(rejected: m.index, matchHint: nextProbeIdx)
        }
        if decreased {
            logger.debug("\(hex(id)) decreased progress of \(hex(m.from)) to [\(pr)]")
            if pr.state == .replicate { pr.becomeProbe() }
            sendAppend(m.from)
        }
    }

    /// A follower acknowledged entries up to `m.index`: update its progress and flow control,
    /// commit what a quorum holds, and keep its pipeline full.
    ///
    /// etcd: the accepted `MsgAppResp` case of `stepLeader`.
    package func handleAppendSuccess(_ m: Message, _ pr: Progress) {
        // An acknowledgement of what we already knew still moves a probing follower back to
        // replicating; for a follower in snapshot state it would not help.
        guard pr.maybeUpdate(m.index) || (pr.match == m.index && pr.state == .probe) else { return }
        switch pr.state {
        case .probe:
            pr.becomeReplicate()
        case .snapshot where pr.match + 1 >= raftLog.firstIndex():
            // Whatever index the snapshot really had, the follower can now be caught up from the
            // log. Go through probe so that the pending snapshot is taken into account.
            logger.debug("\(hex(id)) recovered from needing snapshot, resumed sending replication messages to \(hex(m.from)) [\(pr)]")
            pr.becomeProbe()
            pr.becomeReplicate()
        case .replicate:
            pr.inflights.freeLE(m.index)
        default:
            break
        }

        if maybeCommit() {
            // Having committed in this term, the leader knows the commit index: answer held reads.
            releasePendingReadIndexMessages()
            bcastAppend()
        } else if id != m.from && pr.canBumpCommit(raftLog.committed) {
            // The follower may not know the latest commit index; tell it now rather than at the
            // next heartbeat.
            sendAppend(m.from)
        }
        // Flow control may have opened up (probe to replicate, freed inflights): send as many
        // appends as allowed, but no empty ones.
        if id != m.from {
            while maybeSendAppend(m.from, sendIfEmpty: false) {}
        }
        if m.from == leadTransferee && pr.match == raftLog.lastIndex() {
            logger.info("\(hex(id)) sent MsgTimeoutNow to \(hex(m.from)) after received MsgAppResp")
            sendTimeoutNow(m.from)
        }
    }

    /// Starts handing leadership to `m.from` (Raft thesis §3.10): once its log is caught up, tell
    /// it to campaign at once. Proposals are refused meanwhile.
    ///
    /// etcd: the `MsgTransferLeader` case of `stepLeader`.
    package func handleTransferLeader(_ m: Message, _ pr: Progress) {
        if pr.isLearner {
            logger.debug("\(hex(id)) is learner. Ignored transferring leadership")
            return
        }
        let transferee = m.from
        let last = leadTransferee
        if last != PeerID.none {
            if last == transferee {
                logger.info("\(hex(id)) [term \(term)] transfer leadership to \(hex(transferee)) is in progress, "
                    + "ignores request to same node \(hex(transferee))")
                return
            }
            abortLeaderTransfer()
            logger.info("\(hex(id)) [term \(term)] abort previous transferring leadership to \(hex(last))")
        }
        if transferee == id {
            logger.debug("\(hex(id)) is already leader. Ignored transferring leadership to self")
            return
        }
        logger.info("\(hex(id)) [term \(term)] starts to transfer leadership to \(hex(transferee))")
        // The transfer must finish within an election timeout.
        electionElapsed = 0
        leadTransferee = transferee
        if pr.match == raftLog.lastIndex() {
            sendTimeoutNow(transferee)
            logger.info("\(hex(id)) sends MsgTimeoutNow to \(hex(transferee)) immediately as \(hex(transferee)) already has up-to-date log")
        } else {
            sendAppend(transferee)
        }
    }
}
