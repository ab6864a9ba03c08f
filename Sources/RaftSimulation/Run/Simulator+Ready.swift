import Raft

// The application loop of each node: handling Readies in the order the contract asks (persist,
// send, apply, advance), or, under async storage writes, running the append and apply threads.

extension Simulator {
    /// Handles one Ready of `node`.
    func handleReady(_ node: SimNode) {
        guard let raw = node.raw else { return }
        let rd = raw.ready()
        // A read state not answered through a message was answered by the node itself, as the
        // leader it is or was a moment ago (it may have stepped down since).
        for rs in rd.readStates {
            if let id = Payload.readID(rs.requestCtx) {
                checker.readAnswered(id, index: rs.index, by: node.id, term: node.ledTerm, unlessKnown: true)
            }
        }
        if scenario.asyncStorageWrites {
            for m in rd.messages {
                switch m.to {
                case PeerID.localAppendThread:
                    node.appendQueue.append(SimNode.StorageWork(due: storageDue(after: node.appendQueue.last), message: m))
                case PeerID.localApplyThread:
                    node.applyQueue.append(SimNode.StorageWork(due: storageDue(after: node.applyQueue.last), message: m))
                default:
                    send(m)
                }
            }
            node.readStates.append(contentsOf: rd.readStates)
            observe(node)
            return
        }
        // Persist, send, apply, advance: raft's order (`handleReady`), or the learner's.
        let app = SimReadyApplication(simulator: self, node: node, raw: raw)
        do {
            if let yours = yourHandleReady { try yours(rd, app) } else { try Raft.handleReady(rd, app) }
        } catch {
            // The node crashed while persisting: the rest of the Ready never happened.
        }
    }

    /// Whether `node`, about to write a vote for another node, crashes before the write lands (and
    /// comes back within 1 to 3 ticks): with a learner's Ready handler, the scenario's election
    /// crashes (see `planFaults`) happen while the vote is written rather than just after, which
    /// harms only a handler that sent the vote before writing it.
    func tornVoteCrash(_ node: SimNode, _ hs: HardState) -> Bool {
        guard scenario.electionCrashRate > 0, timeline.phase(at: now) == .chaos,
              hs.vote != PeerID.none, hs.vote != node.id,
              hs.vote != node.store.hardState.vote || hs.term != node.store.hardState.term,
              members.filter({ $0.life == .down }).count < scenario.maxDown else { return false }
        var r = faultRandom
        defer { faultRandom = r }
        guard r.chance(scenario.electionCrashRate) else { return false }
        quickRestarts.append((node.id, now + r.int(1...3)))
        stats.electionCrashes += 1
        return true
    }

    /// A torn write: `node` crashes before this write lands. Reports the promises it breaks: an
    /// acknowledgement (`msgAppResp`) of entries or a snapshot the write carried, or a granted
    /// vote the write records, already sent while handling the Ready. Raft counts both at once
    /// (a quorum for a commit, a vote for a leader), so losing them is what breaks its safety:
    /// a committed entry held by fewer nodes than counted, two votes in one term.
    func checkTornWrite(_ node: SimNode, hardState: HardState, entries: [Entry], snapshot: Snapshot,
                        sent: [Message]) {
        let firstWritten = [entries.first?.index, snapshot.isEmpty ? nil : snapshot.metadata.index]
            .compactMap { $0 }.min()
        for m in sent where !m.reject {
            if m.type == .msgAppResp, let first = firstWritten, m.index >= first {
                checker.fail(.acknowledgedStateLost, "node \(node.id) sent \(m.describe()), then crashed before writing "
                    + "the entries it acknowledged (from index \(first)): a leader counts them as durable on node \(node.id)")
                return
            }
            if m.type == .msgVoteResp, hardState.vote == m.to, hardState.term == m.term,
               node.store.hardState.vote != m.to || node.store.hardState.term != m.term {
                checker.fail(.acknowledgedStateLost, "node \(node.id) sent \(m.describe()), then crashed before writing "
                    + "its vote: it restarts without it and may vote again in term \(m.term)")
                return
            }
        }
    }

    /// When a new piece of storage work is done: after a delay, but never before the work queued
    /// ahead of it (a storage thread works in order).
    func storageDue(after last: SimNode.StorageWork?) -> Int {
        let delay = decideStorageDelay()
        if delay > 0 { stats.storageWritesDelayed += 1 }
        return max(now + delay, last?.due ?? 0)
    }

    /// Writes one Ready's (or `msgStorageAppend`'s) state to the node's disk, checking it first.
    /// Returns false when the write was refused, which is reported as a broken Ready.
    func persist(_ node: SimNode, hardState: HardState, entries: [Entry], snapshot: Snapshot) -> Bool {
        guard node.raw != nil else { return false }
        // The commit index on disk once this write is done. Raft's own commit index may be ahead
        // of it: under async storage writes an older write still in the queue can hold entries
        // that raft has since replaced in memory, to be overwritten by the next write.
        let commit = max(node.store.hardState.commit, hardState.commit)
        checker.persisting(node: node.id, entries: entries, commit: commit)
        if !snapshot.isEmpty {
            checker.snapshot(node: node.id, snapshot)
            stats.snapshotsInstalled += 1
        }
        let oldTerm = node.store.hardState.term, oldVote = node.store.hardState.vote
        do {
            try node.persist(hardState: hardState, entries: entries, snapshot: snapshot)
        } catch {
            checker.fail(.brokenReady, "node \(node.id) cannot persist its Ready: \(error)")
            return false
        }
        if !hardState.isEmpty {
            checker.persistedTerm(of: node.id, was: oldTerm, now: hardState.term)
            if hardState.vote != PeerID.none && hardState.vote != node.id
                && (hardState.vote != oldVote || hardState.term != oldTerm) {
                node.votedAt = now
            }
        }
        return !checker.failed
    }

    /// Runs the node's append and apply threads on the work due by now. Returns whether any ran.
    func runStorageThreads(_ node: SimNode) -> Bool {
        var ran = false
        while node.isUp, let work = node.appendQueue.first, work.due <= now {
            node.appendQueue.removeFirst()
            ran = true
            let m = work.message
            let hs = HardState(term: m.term, vote: m.vote, commit: m.commit)
            guard persist(node, hardState: hs, entries: m.entries, snapshot: m.snapshot ?? Snapshot()) else { return true }
            if node.crashAfterNextPersist {
                crash(node, afterPersist: true)
                return true
            }
            for r in m.responses { respond(node, r) }
        }
        while node.isUp, let work = node.applyQueue.first, work.due <= now {
            node.applyQueue.removeFirst()
            ran = true
            apply(node, work.message.entries)
            serveReads(node)
            for r in work.message.responses { respond(node, r) }
        }
        if node.isUp, node.applyQueue.isEmpty, !node.heldSnapshots.isEmpty, let raw = node.raw {
            let held = node.heldSnapshots
            node.heldSnapshots = []
            ran = true
            for m in held {
                do { try raw.step(m) } catch { stats.messagesRefused += 1 }
                observe(node)
            }
        }
        return ran
    }

    /// A storage thread's response: to raft itself, or to a peer through the network.
    func respond(_ node: SimNode, _ r: Message) {
        guard node.isUp, let raw = node.raw else { return }
        if r.to == node.id {
            do { try raw.step(r) } catch { stats.messagesRefused += 1 }
            observe(node)
        } else {
            send(r)
        }
    }

    /// Applies committed entries to the node's application, in order.
    func apply(_ node: SimNode, _ entries: [Entry]) {
        guard !entries.isEmpty else { return }
        var applied = false
        var membershipChanged = false
        for e in entries {
            guard node.isUp, let raw = node.raw else { return }
            if e.index <= node.app.appliedIndex {
                // Under async storage writes a snapshot installed by the append thread can overtake
                // entries still queued for the apply thread; they are already in the state. In
                // synchronous mode raft never hands out an applied entry again.
                if !scenario.asyncStorageWrites {
                    checker.fail(.brokenReady, "node \(node.id) was handed entry \(e.index) to apply, already applied")
                    return
                }
                continue
            }
            if e.type != .entryNormal {
                applyConfChange(node, raw, e)
                membershipChanged = true
                checker.appliedConfChange(node: node.id, index: e.index, confState: node.app.confState)
                if checker.failed { return }
            }
            let previous = node.app.appliedIndex
            node.app.fold(e)
            checker.applied(node: node.id, previous: previous, entry: e, digest: node.app.digest)
            if checker.failed { return }
            if let w = Payload.writeID(e), clients.isAcknowledged(w, byApplyAt: node.id) {
                acknowledge(w, index: checker.writeIndex[w] ?? e.index, node: node.id)
            }
            applied = true
        }
        guard applied else { return }
        do {
            try node.afterApplyBatch(checkpointEvery: scenario.appCheckpointEvery, membershipChanged: membershipChanged)
        } catch {
            checker.fail(.brokenReady, "node \(node.id) cannot snapshot its application state: \(error)")
        }
    }

    /// Applies a committed conf change to raft, and, for the first node to apply it, to the
    /// simulation: new members start, removed ones stop.
    func applyConfChange(_ node: SimNode, _ raw: RawNode, _ e: Entry) {
        let first = e.index > membershipIndex
        if first { membershipIndex = e.index }
        let cc: any ConfChangeI
        do {
            cc = e.type == .entryConfChange ? try ConfChange(unmarshaling: e.data) : try ConfChangeV2(unmarshaling: e.data)
        } catch {
            if first { stats.confChangesRefused += 1 }
            return
        }
        let before = node.app.confState
        do {
            node.app.confState = try raw.applyConfChange(cc)
        } catch {
            // The application refuses it; so does every other node, since they all hold the same
            // membership at this index.
            if first { stats.confChangesRefused += 1 }
            return
        }
        guard first else { return }
        stats.confChangesApplied += 1
        membershipEffects(before: before, after: node.app.confState, index: e.index)
    }

    /// Starts the new members and schedules the removed ones to stop (see `retireRemovedNodes`),
    /// and counts what kind of change it was.
    func membershipEffects(before: ConfState, after: ConfState, index: UInt64) {
        func all(_ cs: ConfState) -> Set<UInt64> {
            Set(cs.voters).union(cs.learners).union(cs.votersOutgoing).union(cs.learnersNext)
        }
        let old = all(before), new = all(after)
        if before.votersOutgoing.isEmpty && !after.votersOutgoing.isEmpty { stats.jointEntered += 1 }
        if !before.votersOutgoing.isEmpty && after.votersOutgoing.isEmpty { stats.jointLeft += 1 }
        for id in new.subtracting(old).sorted() {
            if after.learners.contains(id) { stats.learnersAdded += 1 } else { stats.votersAdded += 1 }
            deferred.append(.start(id))
        }
        for id in old.subtracting(new).sorted() {
            stats.nodesRemoved += 1
            retiring.append(Retirement(id: id, index: index, remaining: new.sorted(),
                                       voters: after.voters.sorted(), outgoing: after.votersOutgoing.sorted()))
        }
        stats.learnersPromoted += after.voters.filter { before.learners.contains($0) }.count
        stats.votersDemoted += (after.learners + after.learnersNext).filter { before.voters.contains($0) }.count
    }

    /// Serves the node's read states whose index it has applied, checking each.
    func serveReads(_ node: SimNode) {
        guard !node.readStates.isEmpty else { return }
        var waiting: [ReadState] = []
        for rs in node.readStates {
            guard rs.index <= node.app.appliedIndex else {
                waiting.append(rs)
                continue
            }
            guard let id = Payload.readID(rs.requestCtx) else { continue }
            if checker.readServed(id, node: node.id, readIndex: rs.index) {
                stats.readsServed += 1
                trace.add(now, .readServed(node: node.id, read: id, index: rs.index))
            }
        }
        node.readStates = waiting
    }

    /// Records a write's acknowledgement to its client.
    func acknowledge(_ w: UInt64, index: UInt64, node: UInt64) {
        guard let write = clients.acknowledge(w) else { return }
        acknowledgedWrites.insert(w)
        checker.acknowledged(index: index)
        stats.writesAcknowledged += 1
        trace.add(now, .writeAcknowledged(node: node, write: w, index: index))
        if let calm = timeline.calmStart(containing: now) {
            stats.maxTicksToAcknowledge = max(stats.maxTicksToAcknowledge, now - max(write.issued, calm))
        }
    }

    /// Looks at the node after raft did something: role and term changes, a new leader, commit
    /// index progress, each checked.
    func observe(_ node: SimNode) {
        if let raftLogger {
            for line in raftLogger.drain() { trace.add(now, .note(line)) }
        }
        guard let raw = node.raw else { return }
        let st = raw.basicStatus()
        let term = st.hardState.term, state = st.softState.raftState, lead = st.softState.lead
        if term != node.seenTerm || state != node.seenState || lead != node.seenLead {
            checker.term(of: node.id, was: node.seenTerm, now: term)
            if node.seenState == .leader && state != .leader && term == node.seenTerm { stats.leaderStepDowns += 1 }
            if state != node.seenState || term != node.seenTerm {
                trace.add(now, .role(node: node.id, term: term, state: state, lead: lead))
            }
            node.seenTerm = term
            node.seenState = state
            node.seenLead = lead
        }
        if state == .leader { node.ledTerm = term }
        if state == .leader && checker.leader(node.id, term: term) {
            stats.leadersElected += 1
            checker.newLeader(node.id, term: term, raw: raw)
        }
        let commit = st.hardState.commit
        if commit > node.checkedCommit {
            checker.committed(node: node.id, raw: raw, from: node.checkedCommit, to: commit)
            node.checkedCommit = commit
        }
    }

    /// Crashes a node: only its disk survives.
    func crash(_ node: SimNode, afterPersist: Bool) {
        guard node.isUp else { return }
        let lost = node.crash()
        stats.crashes += 1
        if afterPersist { stats.crashesAfterPersist += 1 }
        if lost.storageWork > 0 {
            stats.crashesLosingStorageWork += 1
            stats.storageWorkLost += lost.storageWork
        }
        if lost.appliedLost > 0 { stats.crashesLosingAppliedState += 1 }
        trace.add(now, .crashed(node.id))
    }

    /// Stops the removed nodes whose removal enough remaining members have durably seen
    /// committed: a majority of each voter set of the new configuration, who can then elect a
    /// leader among themselves without the removed node.
    ///
    /// Stopping a removed node as soon as its removal commits can wedge the cluster for good: a
    /// removed leader may be the only node that knows the commit, and the others, still in the
    /// old (or joint) configuration, need its vote to elect anyone. etcd's server waits a little
    /// before stopping a removed member, and a removed leader hands over leadership first; the
    /// simulated operator waits for the majorities' disks to hold the commit. (Waiting for every
    /// member instead would keep a removed leader, which takes no proposals, in charge for as
    /// long as the slowest follower takes to catch up.)
    func retireRemovedNodes() {
        guard !retiring.isEmpty else { return }
        var still: [Retirement] = []
        for r in retiring {
            func knows(_ id: UInt64) -> Bool {
                guard let m = node(id) else { return true }
                return m.life == .removed || m.store.hardState.commit >= r.index
            }
            func majority(_ ids: [UInt64]) -> Bool { ids.filter(knows).count > ids.count / 2 }
            if majority(r.voters) && (r.outgoing.isEmpty || majority(r.outgoing)) {
                deferred.append(.remove(r.id))
            } else {
                still.append(r)
            }
        }
        retiring = still
    }

    /// Work that had to wait until no Ready was being handled.
    func runDeferred() {
        let work = deferred
        deferred = []
        for d in work {
            switch d {
            case .start(let id):
                if let node = ensureNode(id), node.life == .notStarted { start(node) }
            case .remove(let id):
                if let node = node(id), node.life != .removed {
                    node.remove()
                    trace.add(now, .removed(id))
                }
            case .snapshotStatus(let id, let to, let failed):
                if let node = node(id), let raw = node.raw {
                    raw.reportSnapshot(to, status: failed ? .failure : .finish)
                    observe(node)
                }
            case .unreachable(let id, let to):
                if let node = node(id), let raw = node.raw {
                    raw.reportUnreachable(to)
                    stats.unreachableReports += 1
                    observe(node)
                }
            }
        }
    }
}
