import Foundation
import Raft

/// Why a node refuses to start from its data directory.
public struct RecoveryError: Error, Sendable, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}

/// One member of a raftkv cluster: a raft `Node` with its durable storage (WAL and snapshot
/// files), its key-value state machine, its TCP transport, and the application loop that ties
/// them together (`RaftKVNode+ReadyLoop`).
///
/// Starting it recovers from the data directory (newest valid snapshot, then the WAL), so a node
/// killed at any point comes back with every write it acknowledged. The HTTP API (`HTTPAPI`) calls
/// the blocking request methods of `RaftKVNode+Requests` from its threads.
///
/// etcd raftexample: `raftNode` (raft.go) with `kvstore` (kvstore.go).
public final class RaftKVNode: Sendable {
    public let options: NodeOptions
    public let id: UInt64
    let node: Node
    let storage: MemoryStorage
    let wal: WAL
    let snapshots: SnapshotStore
    public let kv: KVStore
    let transport: Transport
    let logger: any Logger
    /// Raft's events from the network and the transport's reports, stepped in order by one task.
    let events = PeerEventMailbox()
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
        var tasks: [Task<Void, Never>] = []
    }
    let loop = Locked(LoopState())

    /// Requests waiting for raft: writes and conf changes by request id, reads by context.
    struct Waiters: Sendable {
        var proposals: [RequestID: Completion<ApplyOutcome>] = [:]
        var reads: [RequestID: PendingRead] = [:]
        var nextSequence: UInt64
    }
    let waiters: Locked<Waiters>

    /// Recovers the node from `options.dataDirectory` and starts raft, the transport, the ticker
    /// and the Ready loop.
    ///
    /// - Throws: `WALCorruption` or `RecoveryError` when the data cannot be trusted (the node
    ///   must not serve), `SystemError` when a port or a file cannot be opened.
    public init(options: NodeOptions, logger: any Logger,
                onStop: @escaping @Sendable (String) -> Void = { _ in }) throws {
        self.options = options
        self.id = options.id
        self.logger = logger
        self.onStop = onStop
        guard let peerEndpoint = options.peerEndpoint else {
            throw RecoveryError("--id \(options.id) has no entry in --cluster (\(options.cluster.count) given)")
        }
        // Request ids start from the clock so that a restarted node does not reuse the ids of
        // proposals it made before the crash, which may still be in the log.
        waiters = Locked(Waiters(nextSequence: UInt64(Date().timeIntervalSince1970 * 1_000_000)))

        // 1. The newest snapshot that reads back whole, then the WAL after it.
        snapshots = try SnapshotStore(directory: options.dataDirectory + "/snap", logger: logger)
        let snapshot = try snapshots.loadNewest()
        let snapIndex = snapshot?.metadata.index ?? 0
        let (wal, replay) = try WAL.open(directory: options.dataDirectory + "/wal", logger: logger,
                                         segmentBytes: options.walSegmentBytes)
        self.wal = wal
        if replay.lastResetIndex > snapIndex {
            throw RecoveryError("the WAL records a snapshot from the leader at index \(replay.lastResetIndex), but no valid snapshot file covers it (newest valid: \(snapIndex))")
        }
        let entries = replay.entries.filter { $0.index > snapIndex }
        if let first = entries.first, first.index != snapIndex + 1 {
            throw RecoveryError("the WAL's entries resume at index \(first.index) but the newest valid snapshot ends at \(snapIndex): entries \(snapIndex + 1)...\(first.index - 1) are missing")
        }
        var hardState = replay.hardState
        let lastIndex = entries.last?.index ?? snapIndex
        if hardState.commit < snapIndex { hardState.commit = snapIndex }
        if hardState.commit > lastIndex {
            throw RecoveryError("the WAL's hard state commits index \(hardState.commit) but its log ends at \(lastIndex)")
        }

        // 2. Raft's view of the log, and the state machine as of the snapshot.
        storage = MemoryStorage()
        kv = KVStore()
        var state = LoopState()
        if let snapshot {
            try storage.applySnapshot(snapshot)
            do { try kv.restore(from: snapshot.data) } catch {
                throw RecoveryError("snapshot at \(snapIndex) does not load: \(error)")
            }
            state.appliedIndex = snapIndex
            state.snapshotIndex = snapIndex
            state.confState = snapshot.metadata.confState
        }
        if !hardState.isEmpty { storage.setHardState(hardState) }
        try storage.append(entries)
        loop.withLock { $0 = state }
        logger.info("recovered: snapshot at \(snapIndex), \(entries.count) WAL entries after it, \(hardState)")

        // 3. Raft itself: resumed after the applied index, so the committed entries after the
        //    snapshot are handed out again and replayed into the state machine.
        var config = Config(id: options.id, electionTick: options.electionTicks, heartbeatTick: 1, storage: storage)
        config.applied = snapIndex
        config.maxSizePerMsg = 1 << 20
        config.maxInflightMsgs = 256
        config.maxUncommittedEntriesSize = 1 << 30
        config.checkQuorum = true
        config.preVote = true
        config.logger = logger
        if replay.hadRecords || snapshot != nil || options.join {
            node = try Node.restart(config: config)
        } else {
            let peers = (1...UInt64(options.cluster.count)).map { Peer(id: $0) }
            node = try Node.start(config: config, peers: peers)
        }

        // 4. The transport, delivering into one ordered stream of events.
        let events = self.events
        let reports = TransportReports(
            unreachable: { events.post(.unreachable($0)) },
            snapshot: { events.post(.snapshotStatus($0, $1)) },
            removed: { events.post(.removedBy($0)) })
        let kv = self.kv
        transport = try Transport(
            localID: options.id, listen: peerEndpoint, reports: reports,
            logger: logger,
            validate: { m in
                guard m.type == .msgSnap, let s = m.snapshot else { return nil }
                do { try KVStore.validateSnapshot(s.data) } catch { return "snapshot data does not load: \(error)" }
                return nil
            },
            isRemoved: { kv.isRemoved($0) },
            deliver: { events.post(.message($0)) })
        for (peer, endpoint) in initialPeers(confState: state.confState, hadState: snapshot != nil) {
            transport.addPeer(peer, endpoint)
        }
        transport.start()
        startTasks()
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

    private func startTasks() {
        let tick = Task { [self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(options.tickMilliseconds))
                do { try await node.tick() } catch { return }
            }
        }
        let steps = Task { [self] in
            for await _ in events.rings {
                for event in events.takeAll() {
                    do {
                        switch event {
                        case .message(let m): try await node.step(m)
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
        let ready = Task { [self] in await runReadyLoop() }
        loop.withLock { $0.tasks = [tick, steps, ready] }
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
        for t in tasks { t.cancel() }
        for t in tasks { await t.value }
        wal.close()
        failAllWaiters("the node stopped")
    }

    /// The applied index, the last snapshot's index, and whether this node was removed.
    public var progress: (applied: UInt64, snapshot: UInt64, removed: Bool) {
        loop.withLock { ($0.appliedIndex, $0.snapshotIndex, $0.removed) }
    }

    /// Raft's status (role, term, leader).
    public func status() async -> Status? { try? await node.status() }
}

/// What the transport hands the node: messages, and its delivery reports.
enum PeerEvent: Sendable {
    case message(Message)
    case unreachable(UInt64)
    case snapshotStatus(UInt64, SnapshotStatus)
    /// A peer answered that this node is no longer a member.
    case removedBy(UInt64)
}
