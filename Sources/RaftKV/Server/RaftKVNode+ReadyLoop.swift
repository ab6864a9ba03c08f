import Foundation
import Raft

extension RaftKVNode {
    /// The application's side of raft: handles each Ready in the order the contract asks.
    ///
    /// 1. Persist: a snapshot from the leader first (file, then a WAL record saying the log was
    ///    reset), then the entries and hard state, synced when `mustSync`.
    /// 2. Hand the same to raft's `MemoryStorage` (and a snapshot to the state machine).
    /// 3. Send the messages that promise what step 1 makes durable: append acknowledgements and
    ///    votes (etcd-io/raft's own list, the messages it holds back until the write when storage
    ///    writes are asynchronous). Every other message left before step 1 (step 0): a leader's
    ///    appends and heartbeats, a follower's forwarded proposals and heartbeat responses promise
    ///    nothing about this node's disk, so followers write while the leader writes (the Raft
    ///    thesis, 10.2.1; etcd's server sends a leader's messages first too) and a write sent to a
    ///    follower reaches the leader without waiting for the follower's fsync. Applying still
    ///    waits for this node's own write of an entry (step 4), so a 204 means the entry is on a
    ///    quorum's disks, this node's included.
    /// 4. Apply the committed entries (`entriesToApply`, `publishEntries`), answer waiting
    ///    requests, and serve read states whose index is applied. The committed entries that an
    ///    earlier Ready already made durable here are applied before step 1 instead (etcd's
    ///    server applies in parallel with its WAL write): their answers then need not wait for
    ///    this Ready's fsync. Only those: an entry is applied, and its request answered, once it
    ///    is on a quorum's disks, this node's included (`durableIndex`).
    /// 5. Take a snapshot and compact when enough entries were applied since the last.
    /// 6. Advance.
    ///
    /// A storage failure ends the loop and stops the node: carrying on could acknowledge writes
    /// that are not on disk.
    ///
    /// The loop owns `wal`: it is its only writer, and closes it when it ends.
    ///
    /// etcd raftexample: `serveChannels`, the `rd := <-rc.node.Ready()` case.
    func runReadyLoop(_ wal: WAL) async {
        defer { wal.close() }
        do {
            let slow = Duration.milliseconds(options.tickMilliseconds * options.electionTicks)
            for await rd in node.readies {
                let start = ContinuousClock.now
                try await handle(rd, wal)
                let took = ContinuousClock.now - start
                if took > slow {
                    // No message leaves meanwhile: as leader, no heartbeats (Notes/reliability.md).
                    logger.warning("handling one Ready took \(took), longer than an election timeout")
                }
                if loop.withLock({ $0.removed }) {
                    logger.warning("this node was removed from the cluster; stopping")
                    await stopBySelf("removed from the cluster")
                    return
                }
                try await node.advance()
            }
        } catch RaftError.stopped {
            return
        } catch {
            logger.error("fatal: \(error); stopping the node")
            await stopBySelf("\(error)")
        }
    }

    func stopBySelf(_ reason: String) async {
        await node.stop()
        failAllWaiters(reason)
        onStop(reason)
    }

    private func handle(_ rd: Ready, _ wal: WAL) async throws {
        // 0. What promises nothing about this node's disk leaves first (thesis 10.2.1): a
        //    leader's appends, so that followers write while it writes.
        let (sendNow, sendAfterWrite) = Self.splitByPromise(rd.messages)
        if !sendNow.isEmpty { transport.send(withCurrentMembership(sendNow)) }

        // 4, early: what an earlier Ready already wrote here need not wait for this one's fsync.
        let committed = entriesToApply(rd.committedEntries)
        let durable = rd.snapshot.isEmpty ? Self.durableIndex(written: storage.lastIndex(), overwrittenFrom: rd.entries.first?.index) : 0
        let early = committed.prefix { $0.index <= durable }
        for e in early {
            try await apply(e)
        }

        // 1. Persist. The snapshot file must exist before the WAL says the log was reset to it.
        if !rd.snapshot.isEmpty {
            try snapshots.save(rd.snapshot)
            try wal.saveLogReset(index: rd.snapshot.metadata.index, term: rd.snapshot.metadata.term)
        }
        try wal.save(hardState: rd.hardState, entries: rd.entries, sync: rd.mustSync)

        // 2. Raft's storage, and the state machine when a snapshot replaces it.
        if !rd.snapshot.isEmpty {
            try storage.applySnapshot(rd.snapshot)
            try installSnapshot(rd.snapshot)
        }
        try storage.append(rd.entries)
        if !rd.hardState.isEmpty { storage.setHardState(rd.hardState) }

        // 3. Send what waited: now that what it promises (votes, appended entries) is on disk.
        if !sendAfterWrite.isEmpty { transport.send(withCurrentMembership(sendAfterWrite)) }

        // 4. Apply, then answer what waits on it.
        for e in committed.dropFirst(early.count) {
            try await apply(e)
        }
        noteReadStates(rd.readStates)
        answerReads()

        // 5. Snapshot and compact.
        try maybeTriggerSnapshot(wal)
    }

    /// A Ready's messages split into those that may leave before the Ready is written and those
    /// that must wait for the write: the ones that promise what it makes durable, an entry
    /// appended (`msgAppResp`) or a vote (`msgVoteResp`, `msgPreVoteResp`), rejections included,
    /// as etcd-io/raft decides which messages to hold until an asynchronous write is done.
    static func splitByPromise(_ messages: [Message]) -> (now: [Message], afterWrite: [Message]) {
        func promisesDurability(_ m: Message) -> Bool {
            m.type == .msgAppResp || m.type == .msgVoteResp || m.type == .msgPreVoteResp
        }
        guard messages.contains(where: promisesDurability) else { return (messages, []) }
        var now: [Message] = []
        var later: [Message] = []
        for m in messages {
            if promisesDurability(m) { later.append(m) } else { now.append(m) }
        }
        return (now, later)
    }

    /// The last index of this node's log that is on its disk before a Ready is persisted, and
    /// that the Ready does not overwrite: what earlier Readies wrote (`written`: raft's
    /// `MemoryStorage` holds exactly that, since entries reach it only after the WAL), up to the
    /// Ready's first entry, from which on it replaces a conflicting tail (a follower learning a
    /// new leader's log can get those entries and a commit index covering them in one message).
    static func durableIndex(written: UInt64, overwrittenFrom first: UInt64?) -> UInt64 {
        guard let first else { return written }
        return min(written, first - 1)
    }

    /// A snapshot sent by the leader replaces the state machine and moves the applied index.
    private func installSnapshot(_ snapshot: Snapshot) throws {
        let index = snapshot.metadata.index
        do { try kv.restore(from: snapshot.data) } catch {
            throw RecoveryError("snapshot at \(index) from the leader does not load: \(error)")
        }
        loop.withLock {
            $0.appliedIndex = index
            $0.snapshotIndex = index
            $0.confState = snapshot.metadata.confState
        }
        for peer in snapshot.metadata.confState.voters + snapshot.metadata.confState.learners
        where peer != id && !transport.peerIDs.contains(peer) {
            if let e = endpoint(of: peer) { transport.addPeer(peer, e) }
        }
        logger.info("installed the leader's snapshot at index \(index)")
    }

    /// A snapshot we send carries the membership as of now, not as of when it was taken: conf
    /// changes applied since then would be lost otherwise.
    ///
    /// etcd raftexample: `processMessages`.
    private func withCurrentMembership(_ messages: [Message]) -> [Message] {
        guard messages.contains(where: { $0.type == .msgSnap }) else { return messages }
        let cs = loop.withLock { $0.confState }
        return messages.map { m in
            var m = m
            if m.type == .msgSnap { m.snapshot?.metadata.confState = cs }
            return m
        }
    }

    /// The committed entries not applied yet (a snapshot may have covered some).
    ///
    /// etcd raftexample: `entriesToApply`.
    func entriesToApply(_ entries: [Entry]) -> [Entry] {
        let applied = loop.withLock { $0.appliedIndex }
        return entries.filter { $0.index > applied }
    }

    /// Applies one committed entry on this node and answers the request that proposed it, if it
    /// was proposed here.
    ///
    /// etcd raftexample: `publishEntries` (and kvstore's `readCommits`).
    private func apply(_ e: Entry) async throws {
        let applied = loop.withLock { $0.appliedIndex }
        if e.index != applied + 1 {
            throw RecoveryError("committed entry \(e.index) does not follow the applied index \(applied)")
        }
        switch e.type {
        case .entryNormal:
            if !e.data.isEmpty { applyCommand(e) }
        case .entryConfChange:
            if let cc = try? ConfChange(unmarshaling: e.data) {
                try await applyMembershipChange(cc, at: e.index)
            } else {
                logger.error("entry \(e.index): undecodable conf change; skipped")
            }
        case .entryConfChangeV2:
            if let cc = try? ConfChangeV2(unmarshaling: e.data) {
                try await applyMembershipChange(cc, at: e.index)
            } else {
                logger.error("entry \(e.index): undecodable conf change; skipped")
            }
        }
        loop.withLock { $0.appliedIndex = e.index }
    }

    private func applyCommand(_ e: Entry) {
        let command: KVCommand
        do { command = try KVCommand(decoding: e.data) } catch {
            // Every node skips it alike, so the replicas stay equal.
            logger.error("entry \(e.index): undecodable command skipped: \(error)")
            return
        }
        let existed = kv.apply(command.operation)
        complete(command.requestID, .applied(existed: existed))
    }

    /// Starts a snapshot of the state machine once `snapshotCount` entries were applied since the
    /// last one, and releases the WAL segments that the oldest snapshot file kept on disk covers
    /// once a snapshot thread saved a file.
    ///
    /// The loop only takes the state (a copy-on-write reference); encoding, writing and syncing
    /// the file, and compacting raft's log, happen on a thread of their own (`takeSnapshot`).
    /// Done here, they held back every message for as long as they took (seconds for a large
    /// store), so a leader sent no heartbeats, lost its quorum and its followers elected another
    /// leader at every snapshot (Notes/reliability.md). The WAL stays the loop's alone.
    ///
    /// etcd raftexample: `maybeTriggerSnapshot`; etcd server: `EtcdServer.snapshot`, which
    /// clones the store and saves and compacts in a goroutine of its own.
    func maybeTriggerSnapshot(_ wal: WAL) throws {
        let (due, release) = loop.withLock { s -> ((UInt64, ConfState)?, Bool) in
            defer { s.walReleaseDue = false }
            guard !s.snapshotInFlight, s.appliedIndex - s.snapshotIndex > options.snapshotCount else {
                return (nil, s.walReleaseDue)
            }
            s.snapshotInFlight = true
            return ((s.appliedIndex, s.confState), s.walReleaseDue)
        }
        if release, let oldest = try snapshots.oldestIndex() { try wal.releaseSegments(coveredBy: oldest) }
        guard let (applied, confState) = due else { return }
        let data = kv.snapshotSource()
        let thread = Thread { [self] in takeSnapshot(at: applied, confState: confState, data: data) }
        thread.name = "raftkv-snapshot"
        thread.start()
    }

    /// Encodes and saves the state taken at `applied`, then compacts raft's in-memory log
    /// (keeping `catchUpEntries` for followers). A snapshot from the leader installed meanwhile
    /// makes this one moot (`snapOutOfDate`), as in etcd. A failure to save stops the node, as a
    /// storage failure in the Ready loop does.
    private func takeSnapshot(at applied: UInt64, confState: ConfState, data: () -> [UInt8]) {
        defer { loop.withLock { $0.snapshotInFlight = false } }
        do {
            let created: Result<Snapshot, StorageError> = Result { () throws(StorageError) in
                try storage.createSnapshot(applied, confState: confState, data: data())
            }
            if case .failure(.snapOutOfDate) = created { return }
            try snapshots.save(try created.get())
            loop.withLock { s in
                s.snapshotIndex = max(s.snapshotIndex, applied)
                s.walReleaseDue = true
            }
            let compactIndex = applied > options.catchUpEntries ? applied - options.catchUpEntries : 1
            if compactIndex > storage.firstIndex() {
                let compacted: Result<Void, StorageError> = Result { () throws(StorageError) in try storage.compact(compactIndex) }
                // A leader's snapshot installed meanwhile may have compacted further already.
                if case .failure(let e) = compacted, e != .compacted { throw e }
            }
            logger.info("snapshot at index \(applied); raft log compacted to \(compactIndex)")
        } catch {
            if loop.withLock({ $0.stopped }) { return }
            logger.error("fatal: snapshot at index \(applied): \(error); stopping the node")
            Task { await stopBySelf("\(error)") }
        }
    }
}
