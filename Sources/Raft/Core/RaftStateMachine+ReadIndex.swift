// Linearizable reads (ReadIndex, Raft thesis §6.4): the leader records its commit index when a
// read arrives, confirms it still leads, and answers with that index; the application serves the
// read once it has applied up to it.

extension RaftStateMachine {
    /// A leader receiving a read request, from its application or forwarded by a follower.
    ///
    /// etcd: the `MsgReadIndex` case of `stepLeader`.
    package func handleReadIndex(_ m: Message) {
        // With a single voter, the leader's own commit index is already a quorum's: no check of a
        // commit in this term and no heartbeat round are needed.
        if trk.isSingleton() {
            if let resp = responseToReadIndexReq(m, readIndex: raftLog.committed) { send(resp) }
            return
        }
        // A leader that has not committed an entry in its term does not yet know the commit index
        // (Raft paper §8); the read waits until it does.
        if !committedEntryInCurrentTerm() {
            pendingReadIndexMessages.append(m)
            return
        }
        readIndexResponse(m)
    }

    /// `sendReadIndexResponse`, or the learner's (exercise 5.3) when plugged in.
    package func readIndexResponse(_ m: Message) {
        if let yours = parts.sendReadIndexResponse { yours(self, m) } else { sendReadIndexResponse(m) }
    }

    /// Whether this leader has committed an entry of its own term, the point from which its commit
    /// index is known to be current.
    ///
    /// etcd: `raft.committedEntryInCurrentTerm`.
    package func committedEntryInCurrentTerm() -> Bool {
        raftLog.zeroTermOnOutOfBounds(raftLog.committed) == term
    }

    /// The answer to a read request at `readIndex`: a read state for a local request (none to
    /// send), or a `msgReadIndexResp` for a follower's.
    ///
    /// etcd: `raft.responseToReadIndexReq`.
    package func responseToReadIndexReq(_ req: Message, readIndex: UInt64) -> Message? {
        let context = req.entries.first?.data ?? []
        if req.from == PeerID.none || req.from == id {
            readStates.append(ReadState(index: readIndex, requestCtx: context))
            return nil
        }
        return Message(type: .msgReadIndexResp, to: req.from, index: readIndex, entries: req.entries)
    }

    /// Answers the reads held back until this leader committed an entry in its term.
    ///
    /// etcd: `releasePendingReadIndexMessages`.
    package func releasePendingReadIndexMessages() {
        guard !pendingReadIndexMessages.isEmpty else { return }
        guard committedEntryInCurrentTerm() else {
            logger.error("pending MsgReadIndex should be released only after first commit in current term")
            return
        }
        let held = pendingReadIndexMessages
        pendingReadIndexMessages = []
        for m in held { readIndexResponse(m) }
    }

    /// Serves a read at the current commit index: at once under a lease, or after a heartbeat round
    /// acknowledged by a quorum in safe mode.
    ///
    /// etcd: `sendMsgReadIndexResponse`.
    package func sendReadIndexResponse(_ m: Message) {
        switch readOnly.option {
        case .safe:
            let context = m.entries.first?.data ?? []
            readOnly.addRequest(raftLog.committed, m)
            // The leader acknowledges its own request.
            _ = readOnly.recvAck(id, context)
            bcastHeartbeat(context: context)
        case .leaseBased:
            if let resp = responseToReadIndexReq(m, readIndex: raftLog.committed) { send(resp) }
        }
    }
}
