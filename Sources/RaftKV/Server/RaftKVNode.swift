import Foundation
import Raft

/// One member of a raftkv cluster: a raft `Node` with its durable storage (WAL and snapshot
/// files), its key-value state machine, its TCP transport, and the application loop that ties
/// them together (`RaftKVNode+ReadyLoop`).
///
/// Starting it recovers from the data directory (newest valid snapshot, then the WAL), so a node
/// killed at any point comes back with every write it acknowledged. The HTTP API (`HTTPAPI`) calls
/// the request methods of `RaftKVNode+Requests`: writes answer by callback, from the Ready loop.
///
/// etcd raftexample: `raftNode` (raft.go) with `kvstore` (kvstore.go).
public final class RaftKVNode: Sendable {
    public let options: NodeOptions
    public let id: UInt64
    let node: Node
    let storage: MemoryStorage
    let snapshots: SnapshotStore
    public let kv: KVStore
    let transport: Transport
    let logger: any Logger
    /// The transport's reports (unreachable peers, snapshot outcomes, removal), stepped in order
    /// by one task. Messages do not pass through here: the transport's reader threads step them
    /// into raft themselves (`Node.tryStep`), which spares a wake-up of a task per message.
    let events = PeerEventMailbox(capacity: 8192)
    /// Proposals forwarded by followers that arrived while no leader was known, stepped by a task
    /// of their own: stepping one waits until a leader is known (etcd's `Node.Step` does too),
    /// and that wait must not keep the messages that would name the new leader from being
    /// stepped. Bounded; full drops.
    ///
    /// etcd rafthttp: the `propc` of `peer.startPeer`, apart from `recvc`, `maxPendingProposals`.
    let proposals = Mailbox<Message>(capacity: 4096)
    /// Writes taken by the HTTP event loop, proposed in batches: after each pass of the loop
    /// (`proposeQueuedWrites`), one raft proposal (one append message per follower, one Ready)
    /// carries every write the pass took, instead of a task and a proposal per write. While no
    /// leader is known they go back here, to a task that waits for one.
    let localWrites = Mailbox<LocalWrite>(capacity: 4096)
    /// Says so, now and then, when the network's events are dropped because a mailbox is full.
    let dropWarnings: RateLimitedLog
    /// Called when the node stops by itself: a storage failure, or its removal from the cluster.
    let onStop: @Sendable (String) -> Void

    /// What the Ready loop owns; behind a lock only so that status requests can read it.
    struct LoopState: Sendable {
        /// Invariant: snapshotIndex <= appliedIndex <= the commit index persisted in the WAL.
        var appliedIndex: UInt64 = 0
        var snapshotIndex: UInt64 = 0
        var confState = ConfState()
        var removed = false
        var stopped = false
        /// A snapshot thread is encoding and saving; no other starts until it is done.
        var snapshotInFlight = false
        /// A snapshot file was saved since the WAL last released the segments it covers.
        var walReleaseDue = false
        var tasks: [Task<Void, Never>] = []
    }
    let loop = Locked(LoopState())

    /// Requests waiting for raft: writes and conf changes by request id, reads by round.
    struct Waiters: Sendable {
        var proposals: [RequestID: ProposalWaiter] = [:]
        var reads: [RequestID: PendingRead] = [:]
        /// The read round asked of raft and not yet given its index (`get(_:linearizable:then:)`).
        var readInFlight: RequestID?
        /// The read round new reads join, asked once `readInFlight` has its index.
        var readNext: RequestID?
        /// When `readInFlight` was last asked of raft (it is asked again after half a second).
        var readAskedAt: ContinuousClock.Instant?
        var nextSequence: UInt64
    }
    let waiters: Locked<Waiters>

    /// Recovers the node from `options.dataDirectory` (`Recovery`), then starts raft, the
    /// transport, the ticker and the Ready loop.
    ///
    /// - Throws: `WALCorruption` or `RecoveryError` when the data cannot be trusted (the node
    ///   must not serve), `SystemError` when a port or a file cannot be opened.
    public init(options: NodeOptions, logger: any Logger,
                onStop: @escaping @Sendable (String) -> Void = { _ in }) throws {
        self.options = options
        self.id = options.id
        self.logger = logger
        self.onStop = onStop
        dropWarnings = RateLimitedLog(logger: logger)
        guard let peerEndpoint = options.peerEndpoint else {
            throw RecoveryError("--id \(options.id) has no entry in --cluster (\(options.cluster.count) given)")
        }
        // Request ids start from the clock so that a restarted node does not reuse the ids of
        // proposals it made before the crash, which may still be in the log.
        waiters = Locked(Waiters(nextSequence: UInt64(Date().timeIntervalSince1970 * 1_000_000)))

        let recovered = try Recovery.recover(options: options, logger: logger)
        snapshots = recovered.snapshots
        storage = recovered.storage
        kv = recovered.kv
        loop.withLock { $0 = recovered.state }
        node = try Self.startRaft(options: options, logger: logger, storage: storage,
                                  applied: recovered.state.snapshotIndex, hasHistory: recovered.hasHistory)
        transport = try Self.makeTransport(options: options, listen: peerEndpoint, logger: logger, kv: kv, node: node,
                                           events: events, proposals: proposals, dropWarnings: dropWarnings)
        for (peer, endpoint) in initialPeers(confState: recovered.state.confState, hadState: recovered.hadSnapshot) {
            transport.addPeer(peer, endpoint)
        }
        transport.start()
        startTasks(wal: recovered.wal)
    }

    /// Raft itself, resumed after the snapshot's index, so that the committed entries after it
    /// are handed out again and replayed into the state machine; bootstrapped with the
    /// command line's members when there is no history (and the node is not joining).
    private static func startRaft(options: NodeOptions, logger: any Logger, storage: MemoryStorage,
                                  applied: UInt64, hasHistory: Bool) throws -> Node {
        var config = Config(id: options.id, electionTick: options.electionTicks, heartbeatTick: 1, storage: storage)
        config.applied = applied
        config.maxSizePerMsg = 1 << 20
        config.maxInflightMsgs = 256
        config.maxUncommittedEntriesSize = 1 << 30
        config.checkQuorum = true
        config.preVote = true
        // The Ready loop does not wait for the disk: the append thread writes (runReadyLoop).
        config.asyncStorageWrites = true
        config.logger = logger
        if hasHistory || options.join { return try Node.restart(config: config) }
        let peers = (1...UInt64(options.cluster.count)).map { Peer(id: $0) }
        return try Node.start(config: config, peers: peers)
    }

    /// The transport: its reader threads step messages into raft, except proposals that would
    /// wait for a leader, which go to `proposals`; its reports go to `events`.
    private static func makeTransport(options: NodeOptions, listen: Endpoint, logger: any Logger, kv: KVStore,
                                      node: Node, events: PeerEventMailbox, proposals: Mailbox<Message>,
                                      dropWarnings: RateLimitedLog) throws -> Transport {
        let reports = TransportReports(
            unreachable: { events.post(.unreachable($0)) },
            snapshot: { events.post(.snapshotStatus($0, $1)) },
            removed: { events.post(.removedBy($0)) })
        return try Transport(
            localID: options.id, clusterID: options.clusterID, listen: listen, reports: reports,
            logger: logger,
            validate: { m in
                guard m.type == .msgSnap, let s = m.snapshot else { return nil }
                do { try KVStore.validateSnapshot(s.data) } catch { return "snapshot data does not load: \(error)" }
                return nil
            },
            isRemoved: { kv.isRemoved($0) },
            deliver: { m in
                func waitForLeader() {
                    if !proposals.post(m) {
                        dropWarnings.warning("mailbox full", "dropped \(m.type) from \(m.from): \(proposals.capacity) proposals already wait for a leader")
                    }
                }
                // A forwarded proposal queues behind those already waiting, to keep their order.
                if m.type == .msgProp && proposals.waiting() != nil { return waitForLeader() }
                guard let stepped = try? node.tryStep(m) else { return } // raft stopped
                if !stepped { waitForLeader() }
            })
    }

    /// Whom to connect to before any conf change is replayed: the membership in the snapshot
    /// (with addresses from the state machine or the command line), else the command line's.
    private func initialPeers(confState: ConfState, hadState: Bool) -> [(UInt64, Endpoint)] {
        var ids = Set(1...UInt64(options.cluster.count))
        if hadState { ids = Set(confState.voters + confState.learners + confState.votersOutgoing) }
        return ids.sorted().compactMap { peer in
            endpoint(of: peer).map { (peer, $0) }
        }
    }

    /// Where member `peer` listens: as recorded by a conf change, else as on the command line.
    func endpoint(of peer: UInt64) -> Endpoint? {
        if let url = kv.peers[peer] { return Endpoint(url: url) } // "" for a removed member: none
        return options.initialEndpoint(of: peer)
    }

    /// raft's loops (and the request timeouts) run at high priority: the cooperative pool they share with the rest of the
    /// process serves higher-priority jobs first, so a queue of default-priority work (an
    /// embedding application's, or a test run's) cannot hold back ticks, heartbeats and votes
    /// for longer than the one job each pool thread is running (Notes/design-decisions.md).
    private func startTasks(wal: sending WAL) {
        let tick = Task(priority: .high) { [self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(options.tickMilliseconds))
                do { try await node.tick() } catch { return }
                warnIfStepperStalled()
            }
        }
        // Apart from the ticker, so that requests time out on time even while raft's actor is
        // slow to take a tick: a request's deadline is the one promise that needs no raft.
        let timeouts = Task(priority: .high) { [self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(options.tickMilliseconds))
                proposeQueuedWrites()
                expireProposals()
                expireReads()
            }
        }
        let steps = Task(priority: .high) { [self] in await stepEvents() }
        let forwarded = Task(priority: .high) { [self] in await stepProposals() }
        let writes = Task(priority: .high) { [self] in await proposeLocalWrites() }
        let appender = AppendThread(wal: wal, write: { [self] batch, wal in try persist(batch, to: wal) }, failed: { [self] error in
            logger.error("fatal: writing the log: \(error); stopping the node")
            Task { await stopBySelf("\(error)") }
        })
        let ready = Task(priority: .high) { [self] in await runReadyLoop(appender) }
        loop.withLock { $0.tasks = [tick, timeouts, steps, forwarded, writes, ready] }
    }

    /// Says so (rate-limited) when the transport's reports have waited unstepped for longer than
    /// an election timeout. Proposals may rightly wait for a leader, so only `events` is watched.
    /// (Messages do not queue: the reader threads step them into raft themselves, under a lock
    /// that no call holds for long.) Without
    /// this line a stalled stepping task and a peer that reports nothing look the same in the log
    /// (Notes/reliability.md, "A leader that never hears its peers again").
    private func warnIfStepperStalled() {
        guard let (count, since) = events.waiting() else { return }
        let limit = Duration.milliseconds(options.tickMilliseconds * options.electionTicks)
        let age = ContinuousClock.now - since
        guard age > limit else { return }
        dropWarnings.warning("stepper stalled", "\(count) peer events have waited \(age) to be stepped into raft (the stepping task is stalled)")
    }

    /// Steps the transport's reports, in order.
    private func stepEvents() async {
        for await _ in events.rings {
            for event in events.takeAll() {
                do {
                    switch event {
                    case .unreachable(let peer): try await node.reportUnreachable(peer)
                    case .snapshotStatus(let peer, let status): try await node.reportSnapshot(peer, status: status)
                    case .removedBy(let peer):
                        logger.warning("member \(peer) says this node was removed from the cluster; stopping")
                        loop.withLock { $0.removed = true }
                        await stopBySelf("removed from the cluster")
                        return
                    }
                } catch {
                    return
                }
            }
        }
    }

    /// Steps proposals forwarded by followers; each may wait for a leader to be known.
    private func stepProposals() async {
        for await _ in proposals.rings {
            for m in proposals.takeAll() {
                do { try await node.step(m) } catch { return }
            }
        }
    }

    /// Proposes the writes waiting in `localWrites`, all of them at once, as one proposal of
    /// several entries (etcd's server batches too: its proposals meet in raft's `propc` and
    /// leave in one Ready), on the calling thread: the HTTP event loop calls it after each pass
    /// (`HTTPAPI.endOfBatch`), the timeout task every tick in case a caller did not. While no
    /// leader is known the writes go back to the mailbox, for `proposeLocalWrites` to wait with.
    /// Writes whose request already gave up are left out.
    ///
    /// A proposal raft drops (a leadership transfer in progress) is not reported: its requests
    /// time out, as a write forwarded by a follower does.
    func proposeQueuedWrites() {
        let live = liveWrites(localWrites.takeAll())
        if live.isEmpty { return }
        do {
            if try !node.tryStep(Message(type: .msgProp, from: id, entries: live.map { Entry(data: $0.data) })) {
                localWrites.requeue(live)
            }
        } catch {
            refuseWrites(live, error)
        }
    }

    /// The writes whose requests still wait for an answer.
    private func liveWrites(_ batch: [LocalWrite]) -> [LocalWrite] {
        if batch.isEmpty { return [] }
        return waiters.withLock { w in batch.filter { w.proposals[$0.requestID] != nil } }
    }

    /// Raft stopped: these writes fail now, and later ones are refused at once.
    private func refuseWrites(_ writes: [LocalWrite], _ error: RaftError) {
        localWrites.close()
        for w in writes { complete(w.requestID, .failed("raft refused the proposal: \(error)")) }
    }

    /// Proposes the writes handed back while no leader was known, waiting for one (the writes
    /// that come meanwhile are proposed with them, or by the event loop once there is a leader).
    private func proposeLocalWrites() async {
        for await _ in localWrites.rings {
            let live = liveWrites(localWrites.takeAll())
            if live.isEmpty { continue }
            do {
                try await node.step(Message(type: .msgProp, from: id, entries: live.map { Entry(data: $0.data) }))
            } catch {
                refuseWrites(live, error)
                return
            }
        }
    }

    /// Stops raft, the transport and the loops, and closes the WAL; waiting requests fail.
    public func stop() async {
        let tasks = loop.withLock { s -> [Task<Void, Never>] in
            s.stopped = true
            return s.tasks
        }
        await node.stop()
        transport.stop()
        events.close()
        proposals.close()
        localWrites.close()
        for t in tasks { t.cancel() }
        for t in tasks { await t.value } // the Ready loop stops the append thread, which closes the WAL
        failAllWaiters("the node stopped")
    }

    /// The applied index, the last snapshot's index, and whether this node was removed.
    public var progress: (applied: UInt64, snapshot: UInt64, removed: Bool) {
        loop.withLock { ($0.appliedIndex, $0.snapshotIndex, $0.removed) }
    }

    /// Raft's status (role, term, leader).
    public func status() async -> Status? { try? await node.status() }
}

/// What the transport reports to the node about delivery (its messages go to raft directly).
enum PeerEvent: Sendable {
    case unreachable(UInt64)
    case snapshotStatus(UInt64, SnapshotStatus)
    /// A peer answered that this node is no longer a member.
    case removedBy(UInt64)
}

/// A write taken by this node, waiting to be proposed: its request id (to skip it when the
/// request gave up) and the encoded `KVCommand`.
struct LocalWrite: Sendable {
    let requestID: RequestID
    let data: [UInt8]
}
