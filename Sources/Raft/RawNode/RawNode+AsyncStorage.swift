// Asynchronous storage writes: the Ready's persistence and application work, and the responses
// that report them done, expressed as messages to local append and apply threads.

extension RawNode {
    /// Whether there is anything to write, or responses waiting on earlier writes.
    ///
    /// etcd: `needStorageAppendMsg`.
    package func needStorageAppendMsg(_ rd: Ready) -> Bool {
        !rd.entries.isEmpty || !rd.hardState.isEmpty || !rd.snapshot.isEmpty || !raft.msgsAfterAppend.isEmpty
    }

    /// Whether raft must hear when the writes are done: unstable entries to mark stable (including
    /// ones handed out earlier, see `newStorageAppendRespMsg`), or a snapshot applied.
    ///
    /// etcd: `needStorageAppendRespMsg`.
    package func needStorageAppendRespMsg(_ rd: Ready) -> Bool {
        raft.raftLog.hasNextOrInProgressUnstableEnts() || !rd.snapshot.isEmpty
    }

    /// The message asking the append thread to write the Ready's entries, hard state and snapshot,
    /// then deliver the responses that waited for them.
    ///
    /// etcd: `newStorageAppendMsg`.
    package func newStorageAppendMsg(_ rd: Ready) -> Message {
        var m = Message(type: .msgStorageAppend, to: PeerID.localAppendThread, from: raft.id, entries: rd.entries)
        if !rd.hardState.isEmpty {
            // Carry the hard state field by field; left zero, it reads back as "unchanged".
            m.term = rd.hardState.term
            m.vote = rd.hardState.vote
            m.commit = rd.hardState.commit
        }
        if !rd.snapshot.isEmpty { m.snapshot = rd.snapshot }
        // The self-acknowledgements come before the append response, so the leader still finds
        // the new entries in its unstable log when it handles them.
        m.responses = raft.msgsAfterAppend
        if needStorageAppendRespMsg(rd) { m.responses.append(newStorageAppendRespMsg(rd)) }
        return m
    }

    /// The response that tells raft which writes are durable.
    ///
    /// It names the log's last entry, not the Ready's: this also stabilizes entries whose own
    /// response was dropped after a term change. It carries the current term, and raft ignores it
    /// if the term has moved on, because entries written under an older term may since have been
    /// overwritten by an append still in the pipeline.
    ///
    /// etcd: `newStorageAppendRespMsg`.
    package func newStorageAppendRespMsg(_ rd: Ready) -> Message {
        var m = Message(type: .msgStorageAppendResp, to: raft.id, from: PeerID.localAppendThread, term: raft.term)
        if raft.raftLog.hasNextOrInProgressUnstableEnts() {
            let last = raft.raftLog.lastEntryID()
            m.index = last.index
            m.logTerm = last.term
        }
        if !rd.snapshot.isEmpty { m.snapshot = rd.snapshot }
        return m
    }

    /// etcd: `needStorageApplyMsg`.
    package func needStorageApplyMsg(_ rd: Ready) -> Bool { !rd.committedEntries.isEmpty }

    /// The message asking the apply thread to apply committed entries.
    ///
    /// etcd: `newStorageApplyMsg`.
    package func newStorageApplyMsg(_ rd: Ready) -> Message {
        // Committed entries apply under no particular term.
        Message(type: .msgStorageApply, to: PeerID.localApplyThread, from: raft.id, entries: rd.committedEntries,
                responses: [newStorageApplyRespMsg(rd.committedEntries)])
    }

    /// etcd: `newStorageApplyRespMsg`.
    package func newStorageApplyRespMsg(_ entries: [Entry]) -> Message {
        Message(type: .msgStorageApplyResp, to: raft.id, from: PeerID.localApplyThread, entries: entries)
    }
}
