import Foundation
import Raft

extension RaftKVNode {
    /// The application's side of raft: handles each Ready as etcd-io/raft asks when storage
    /// writes are asynchronous (`Config.asyncStorageWrites`), without waiting for the disk.
    ///
    /// Each Ready carries, besides the messages for peers, up to two messages for local "threads":
    ///
    /// - `msgStorageAppend` (entries, hard state, a snapshot from the leader) goes to the
    ///   `AppendThread`, which writes and syncs it, hands the same to raft's `MemoryStorage`, and
    ///   only then delivers the responses it carries: raft's acknowledgement of its own entries,
    ///   and the append and vote answers to peers that promise what was written.
    /// - `msgStorageApply` (committed entries) is applied here, in order, and its response
    ///   stepped back. Raft hands out an entry for applying only once it is on this node's disk
    ///   (and a quorum's), so a 204 still means committed, synced here, and applied.
    ///
    /// The loop itself never waits for an fsync: while one runs, it sends the next Ready's appends
    /// to followers, applies what committed, and answers requests (the Raft thesis, 10.2.1: the
    /// leader writes its log in parallel with replicating it). The one exception is a snapshot
    /// from the leader, rare and large: the loop waits for it to be written before it loads it
    /// into the state machine, so that no entry is applied on top of the wrong state.
    ///
    /// A storage failure stops the node: carrying on could acknowledge writes that are not on
    /// disk. The loop stops the append thread as it ends, which closes the WAL.
    ///
    /// etcd raftexample: `serveChannels`, the `rd := <-rc.node.Ready()` case (which writes
    /// synchronously); etcd-io/raft: the `AsyncStorageWrites` documentation in `node.go`.
    func runReadyLoop(_ appender: AppendThread) async {
        defer { appender.stop() }
        do {
            let slow = Duration.milliseconds(options.tickMilliseconds * options.electionTicks)
            for await rd in node.readies {
                let start = ContinuousClock.now
                try await handle(rd, appender)
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

    private func handle(_ rd: Ready, _ appender: AppendThread) async throws {
        var storageAppend: Message?
        var storageApply: Message?
        var toPeers: [Message] = []
        for m in rd.messages {
            switch m.to {
            case PeerID.localAppendThread: storageAppend = m
            case PeerID.localApplyThread: storageApply = m
            default: toPeers.append(m)
            }
        }
        // Peers first: nothing sent here promises anything about this node's disk (what does
        // waits in the append's responses).
        if !toPeers.isEmpty { transport.send(withCurrentMembership(toPeers)) }

        if let m = storageAppend {
            appender.submit(m)
            if let snapshot = m.snapshot {
                // The snapshot file and the log reset must be written before the state machine
                // takes the snapshot's state and applies entries after it.
                guard appender.flush() else { throw RaftError.stopped }
                try installSnapshot(snapshot)
            }
        }

        if let m = storageApply {
            for e in entriesToApply(m.entries) {
                try await apply(e)
            }
            for response in m.responses { _ = try node.tryStep(response) }
        }
        noteReadStates(rd.readStates)
        answerReads()
        maybeTriggerSnapshot()
    }

    /// The append thread's work: a batch of `msgStorageAppend`s written in order and synced once
    /// (when any of them must be: entries, a term or a vote; a commit index alone need not),
    /// then handed to raft's `MemoryStorage`, then the responses delivered, to raft and to peers.
    /// Also releases the WAL segments a saved snapshot file made unnecessary (the thread owns the
    /// WAL).
    func persist(_ batch: [Message], to wal: WAL) throws {
        var sync = false
        for m in batch {
            // The snapshot file must exist before the WAL says the log was reset to it.
            if let s = m.snapshot {
                try snapshots.save(s)
                try wal.saveLogReset(index: s.metadata.index, term: s.metadata.term)
            }
            sync = sync || Self.mustSync(m, after: wal.hardState)
            try wal.save(hardState: HardState(term: m.term, vote: m.vote, commit: m.commit), entries: m.entries, sync: false)
        }
        if sync { try wal.sync() }

        var toPeers: [Message] = []
        for m in batch {
            if let s = m.snapshot { try storage.applySnapshot(s) }
            try storage.append(m.entries)
            let hardState = HardState(term: m.term, vote: m.vote, commit: m.commit)
            if !hardState.isEmpty { storage.setHardState(hardState) }
            for response in m.responses {
                if response.to == id {
                    // Only fails once raft stopped: the write stands, nobody is told.
                    _ = try? node.tryStep(response)
                } else {
                    toPeers.append(response)
                }
            }
        }
        if !toPeers.isEmpty { transport.send(toPeers) }

        if loop.withLock({ s in defer { s.walReleaseDue = false }; return s.walReleaseDue }),
           let oldest = try snapshots.oldestIndex() {
            try wal.releaseSegments(coveredBy: oldest)
        }
    }

    /// Whether a `msgStorageAppend` must be synced before its responses go out: when it carries
    /// entries, or a term or a vote other than the last written (`last`). A commit index alone
    /// need not be: it can be learned again from the leader. `Ready.mustSync`, for the hard state
    /// a storage message carries: all zero when unchanged, which leaves `last` in place.
    static func mustSync(_ m: Message, after last: HardState) -> Bool {
        let hardState = HardState(term: m.term, vote: m.vote, commit: m.commit)
        return Ready.mustSync(hardState.isEmpty ? last : hardState, last, entryCount: m.entries.count)
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
    /// last one.
    ///
    /// The loop only takes the state (a copy-on-write reference); encoding, writing and syncing
    /// the file, and compacting raft's log, happen on a thread of their own (`takeSnapshot`).
    /// Done here, they held back every message for as long as they took (seconds for a large
    /// store), so a leader sent no heartbeats, lost its quorum and its followers elected another
    /// leader at every snapshot (Notes/reliability.md). The WAL segments the saved file covers
    /// are released by the append thread, which owns the WAL (`persist`).
    ///
    /// etcd raftexample: `maybeTriggerSnapshot`; etcd server: `EtcdServer.snapshot`, which
    /// clones the store and saves and compacts in a goroutine of its own.
    func maybeTriggerSnapshot() {
        let due = loop.withLock { s -> (UInt64, ConfState)? in
            guard !s.snapshotInFlight, s.appliedIndex - s.snapshotIndex > options.snapshotCount else { return nil }
            s.snapshotInFlight = true
            return (s.appliedIndex, s.confState)
        }
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
