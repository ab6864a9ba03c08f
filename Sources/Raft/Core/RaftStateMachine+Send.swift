// Sending: how messages leave the state machine, and how the leader replicates its log
// (appends, snapshots, heartbeats) under each follower's flow control.

extension RaftStateMachine {
    /// Queues a message: responses that vote or acknowledge entries wait until the unstable state
    /// they promise is durable (`msgsAfterAppend`); everything else may go right away (`msgs`).
    ///
    /// Stamps the sender and, except for the term-less forwarded proposals and reads, the term.
    ///
    /// etcd: `raft.send`, which panics on a badly formed message; only our own code builds messages
    /// here, but we drop and log rather than stop.
    ///
    /// `consuming`: callers build the message for this call only, so it is moved into the queue
    /// rather than copied (a copy retains and releases every array the message holds).
    package func send(_ m: consuming Message) {
        if m.from == PeerID.none { m.from = id }
        switch m.type {
        case .msgVote, .msgVoteResp, .msgPreVote, .msgPreVoteResp:
            // Campaign messages carry the term they are about, which the caller sets.
            if m.term == 0 {
                logger.error("term should be set when sending \(m.type)")
                return
            }
        default:
            if m.term != 0 {
                logger.error("term should not be set when sending \(m.type) (was \(m.term))")
                return
            }
            // Proposals and reads are forwarded to the leader as if they were local: no term.
            if m.type != .msgProp && m.type != .msgReadIndex { m.term = term }
        }
        switch m.type {
        case .msgAppResp, .msgVoteResp, .msgPreVoteResp:
            // A vote or an append acknowledgement promises durable state (Raft thesis §3.8): it
            // waits for the current unstable state to be persisted, rejections included.
            msgsAfterAppend.append(m)
        default:
            if m.to == id {
                logger.error("message should not be self-addressed when sending \(m.type)")
                return
            }
            msgs.append(m)
        }
    }

    /// Sends the follower an append with the entries it lacks (possibly none, to carry the commit
    /// index), or a snapshot if those entries are compacted away.
    ///
    /// etcd: `raft.sendAppend`.
    package func sendAppend(_ to: UInt64) { _ = maybeSendAppend(to, sendIfEmpty: true) }

    /// Sends an append to `to` unless its flow control pauses it; an append without entries only
    /// if `sendIfEmpty`. Returns whether a message went out.
    ///
    /// etcd: `raft.maybeSendAppend`.
    @discardableResult
    package func maybeSendAppend(_ to: UInt64, sendIfEmpty: Bool) -> Bool {
        guard let pr = trk.progress(of: to), !pr.isPaused else { return false }
        // A follower that has been sent everything, when an empty append is not wanted: etcd's
        // path below would read the term of our last entry (always within the log), find no
        // entries and return false. Every acknowledgement asks this, so skip the reads.
        if !sendIfEmpty && pr.next == raftLog.lastIndex() &+ 1 { return false }
        let prevIndex = pr.next - 1
        let prevTerm: UInt64
        do { prevTerm = try raftLog.term(prevIndex) } catch {
            // The log was compacted at or past pr.next: only a snapshot can catch the follower up.
            return sendSnapshot(to, pr)
        }
        var entries: [Entry] = []
        // A throttled replicating follower gets empty appends only: they still make it answer,
        // which frees its inflight window if the earlier appends were lost.
        if pr.state != .replicate || !pr.inflights.full {
            do { entries = try raftLog.entries(from: pr.next, maxSize: maxMsgSize) } catch {
                return sendSnapshot(to, pr)
            }
        }
        if entries.isEmpty && !sendIfEmpty { return false }
        let commit = raftLog.committed
        send(Message(type: .msgApp, to: to, logTerm: prevTerm, index: prevIndex, entries: entries, commit: commit))
        if let yours = parts.sentEntries {
            yours(pr, entries.count, payloadsSize(entries).bytes)
        } else {
            pr.sentEntries(entries.count, bytes: payloadsSize(entries).bytes)
        }
        pr.sentCommit(commit)
        return true
    }

    /// `maybeSendSnapshot`, or the learner's (exercise 7.1) when plugged in.
    private func sendSnapshot(_ to: UInt64, _ pr: Progress) -> Bool {
        if let yours = parts.maybeSendSnapshot { return yours(self, to, pr) }
        return maybeSendSnapshot(to, pr)
    }

    /// Sends the storage's snapshot to a follower that is too far behind for entries, and pauses
    /// replication to it until the snapshot is applied or reported.
    ///
    /// etcd: `raft.maybeSendSnapshot`.
    package func maybeSendSnapshot(_ to: UInt64, _ pr: Progress) -> Bool {
        guard pr.recentActive else {
            logger.debug("ignore sending snapshot to \(hex(to)) since it is not recently active")
            return false
        }
        let snapshot: Snapshot
        do { snapshot = try raftLog.snapshot() } catch StorageError.snapshotTemporarilyUnavailable {
            logger.debug("\(hex(id)) failed to send snapshot to \(hex(to)) because snapshot is temporarily unavailable")
            return false
        } catch {
            logger.panic("unexpected error when getting the snapshot (\(error))")
        }
        if snapshot.isEmpty { logger.panic("need non-empty snapshot") }
        let sindex = snapshot.metadata.index, sterm = snapshot.metadata.term
        logger.debug("\(hex(id)) [firstindex: \(raftLog.firstIndex()), commit: \(raftLog.committed)] sent snapshot"
            + "[index: \(sindex), term: \(sterm)] to \(hex(to)) [\(pr)]")
        pr.becomeSnapshot(sindex)
        logger.debug("\(hex(id)) paused sending replication messages to \(hex(to)) [\(pr)]")
        send(Message(type: .msgSnap, to: to, snapshot: snapshot))
        return true
    }

    /// Sends a heartbeat carrying a commit index the follower can surely apply: never beyond what
    /// it is known to hold.
    ///
    /// etcd: `raft.sendHeartbeat`.
    package func sendHeartbeat(_ to: UInt64, context: [UInt8]) {
        guard let pr = trk.progress(of: to) else { return }
        let commit = min(pr.match, raftLog.committed)
        send(Message(type: .msgHeartbeat, to: to, commit: commit, context: context))
        pr.sentCommit(commit)
    }

    /// Sends appends to every follower that is behind.
    ///
    /// etcd: `raft.bcastAppend`.
    package func bcastAppend() {
        // The ids in order, as `trk.visit` would give them, read from the tracker's sorted list
        // directly: that copies one array, where calling a method of `trk` (a struct stored in
        // this class) copies the whole tracker first, and this runs for every proposal.
        for (to, _) in trk.sortedProgress where to != id { sendAppend(to) }
    }

    /// Sends heartbeats to everyone, carrying the newest pending read request so that the
    /// acknowledgements confirm it.
    ///
    /// etcd: `raft.bcastHeartbeat`.
    package func bcastHeartbeat() {
        bcastHeartbeat(context: readOnly.lastPendingRequestCtx() ?? [])
    }

    /// etcd: `raft.bcastHeartbeatWithCtx`.
    package func bcastHeartbeat(context: [UInt8]) {
        // As in `bcastAppend`: the sorted list, without copying the tracker.
        for (to, _) in trk.sortedProgress where to != id { sendHeartbeat(to, context: context) }
    }

    /// Tries to move the commit index to what a quorum has acknowledged. Only entries of the
    /// current term are committed by counting (Raft paper §5.4.2). Returns whether it moved.
    ///
    /// etcd: `raft.maybeCommit`.
    package func maybeCommit() -> Bool {
        raftLog.maybeCommit(EntryID(term: term, index: committedByQuorum()))
    }

    /// The leader appends proposed entries to its own log, stamped with its term and the next
    /// indexes. Returns false, appending nothing, when the uncommitted-size limit would be exceeded.
    ///
    /// The leader acknowledges its own entries with an `msgAppResp` to itself, which waits in
    /// `msgsAfterAppend` until they are durable.
    ///
    /// etcd: `raft.appendEntry`.
    package func appendEntry(_ proposed: consuming [Entry]) -> Bool {
        var entries = proposed
        let lastIndex = raftLog.lastIndex()
        // Indexes end below UInt64.max (see `checkContiguous`); only a hostile peer can have
        // brought the log this far.
        guard UInt64(entries.count) < UInt64.max - lastIndex else {
            logger.warning("\(hex(id)) has no log index left for \(entries.count) entries after \(lastIndex); dropping proposal")
            return false
        }
        for i in entries.indices {
            entries[i].term = term
            entries[i].index = lastIndex + 1 + UInt64(i)
        }
        guard increaseUncommittedSize(entries) else {
            logger.warning("\(hex(id)) appending new entries to log would exceed uncommitted entry size limit; dropping proposal")
            return false
        }
        let newLast: UInt64
        do { newLast = try raftLog.append(entries) } catch {
            // The entries follow the leader's own last index, so they never truncate anything.
            logger.panic("leader failed to append its own entries: \(error)")
        }
        send(Message(type: .msgAppResp, to: id, index: newLast))
        return true
    }

    /// Counts proposed payload against the uncommitted-size limit. An empty log tail accepts any
    /// proposal, and empty payloads are always accepted (a new leader's entry, leaving a joint
    /// configuration).
    ///
    /// etcd: `raft.increaseUncommittedSize`.
    package func increaseUncommittedSize(_ entries: [Entry]) -> Bool {
        let s = payloadsSize(entries)
        if uncommittedSize > 0 && s > 0 && uncommittedSize + s > maxUncommittedSize { return false }
        uncommittedSize += s
        return true
    }

    /// Releases the payload of applied entries from the uncommitted-size estimate, never below 0.
    ///
    /// etcd: `raft.reduceUncommittedSize`.
    package func reduceUncommittedSize(_ s: EntryPayloadSize) {
        uncommittedSize = s > uncommittedSize ? 0 : uncommittedSize - s
    }

    /// etcd: `raft.sendTimeoutNow`.
    package func sendTimeoutNow(_ to: UInt64) { send(Message(type: .msgTimeoutNow, to: to)) }
}
