import Raft

/// One simulated server: a raft node, the disk it persists to, and the application on top.
///
/// The node's lifetime: `notStarted` (a new member the cluster has not added yet), `up`, `down`
/// (crashed: only the `DurableStore` remains), `removed` (the membership no longer holds it: it
/// is stopped for good and its messages are refused, as etcd's transport refuses removed members).
final class SimNode {
    enum Life: Equatable {
        case notStarted, up, down, removed
    }

    /// Work queued for one of the node's storage threads under async storage writes: the
    /// `msgStorageAppend` or `msgStorageApply` message, and when the thread gets to it.
    struct StorageWork {
        var due: Int
        var message: Message
    }

    let id: UInt64
    private(set) var life: Life = .notStarted
    /// Counts starts, so that each incarnation draws its own election timeouts.
    private(set) var incarnation = 0
    private(set) var raw: RawNode?
    /// Raft's view of the disk, in step with `store` while the node is up.
    private(set) var memory: MemoryStorage?
    var store = DurableStore()
    /// The application's live state; it falls back to `store.app` on a crash.
    var app = AppState()
    /// Applied batches since the last checkpoint.
    var batchesSinceCheckpoint = 0
    var appendQueue: [StorageWork] = []
    var applyQueue: [StorageWork] = []
    /// Snapshots (`msgSnap`) received while the apply thread still had committed entries queued,
    /// handed to raft once the apply thread has caught up.
    ///
    /// Raft restores a snapshot's membership into its tracker as soon as it steps the message
    /// (etcd's `raft.restore`), but entries below the snapshot that an earlier Ready already gave
    /// the apply thread are still to be applied, and applying one that is a conf change calls
    /// `applyConfChange`, which changes the restored membership again: the node's configuration
    /// then differs for good from everyone else's at the same index. etcd-io/raft has no guard
    /// against this (etcd-io/etcd#11510, closed unfixed; TiKV hit it as tikv/tikv#6344), so an
    /// application with an asynchronous apply thread must keep the two apart itself. This one
    /// never lets raft see a snapshot while it has entries in flight to the apply thread. In
    /// synchronous mode a Ready is applied before the next message is stepped, so this never
    /// arises.
    var heldSnapshots: [Message] = []
    /// Read states waiting for the application to apply up to their index.
    var readStates: [ReadState] = []
    /// Set by `Action.crashAfterPersist`: the next Ready is persisted, then the node crashes.
    var crashAfterNextPersist = false
    /// The peers to bootstrap with when the node starts on an empty disk, for the initial members
    /// of a cluster started through `RawNode.bootstrap`.
    var bootstrapPeers: [Peer] = []

    // What the checker has already verified of this incarnation.
    /// The commit index up to which this node's log was compared with the committed log.
    var checkedCommit: UInt64 = 0
    /// The last role and term seen, to notice changes.
    var seenState: StateType = .follower
    var seenTerm: UInt64 = 0
    var seenLead: UInt64 = 0
    /// The last term in which the node was seen leading.
    var ledTerm: UInt64 = 0
    /// The step at which the node last persisted a vote for another node (-1: never).
    var votedAt = -1

    init(id: UInt64) { self.id = id }

    var isUp: Bool { life == .up }

    /// Starts (or restarts) the node from its disk: a fresh `MemoryStorage` rebuilt from the
    /// store, raft restarting at the application's checkpoint.
    ///
    /// `forgetVote` is the injected lying-fsync bug: the vote never reached the disk.
    /// Returns the hard state raft started from.
    @discardableResult
    func start(config base: Config, seed: UInt64, forgetVote: Bool) throws -> HardState {
        incarnation += 1
        var hs = store.hardState
        if forgetVote { hs.vote = PeerID.none }
        // With async storage writes the apply thread may overtake the append thread, so the
        // checkpoint can be ahead of the persisted commit index. Entries the application applied
        // were committed, so the application may raise the commit index to them.
        if store.app.appliedIndex > hs.commit { hs.commit = store.app.appliedIndex }
        let m = try store.makeMemoryStorage(hardState: hs)
        var config = base
        config.id = id
        config.storage = RestartStorage(memory: m, confState: store.app.confState)
        config.applied = store.app.appliedIndex
        config.randomNumberGenerator = SimRandom(seed: seed, stream: 3, id, UInt64(incarnation))
        let node = try RawNode(config: config)
        if store.lastIndex == 0 && store.hardState.isEmpty && !bootstrapPeers.isEmpty {
            try node.bootstrap(bootstrapPeers)
        }
        raw = node
        memory = m
        app = store.app
        batchesSinceCheckpoint = 0
        appendQueue = []
        applyQueue = []
        heldSnapshots = []
        readStates = []
        crashAfterNextPersist = false
        life = .up
        checkedCommit = m.snapshot().metadata.index
        seenState = .follower
        seenTerm = hs.term
        seenLead = 0
        return hs
    }

    /// Loses everything that is not on disk. Returns how much queued storage work was lost.
    @discardableResult
    func crash() -> (storageWork: Int, appliedLost: UInt64) {
        let lost = (appendQueue.count + applyQueue.count, app.appliedIndex - min(app.appliedIndex, store.app.appliedIndex))
        raw = nil
        memory = nil
        appendQueue = []
        applyQueue = []
        heldSnapshots = []
        readStates = []
        app = store.app
        life = .down
        return lost
    }

    /// Stops the node for good: the membership no longer holds it.
    func remove() {
        crash()
        life = .removed
    }

    /// Writes what a Ready (or a `msgStorageAppend`) asks to persist, to the disk and to raft's
    /// view of it. A snapshot replaces the log and the application's state.
    func persist(hardState: HardState, entries: [Entry], snapshot: Snapshot) throws {
        guard let memory else { return }
        if !snapshot.isEmpty {
            try memory.applySnapshot(snapshot)
            store.install(snapshot)
            app = store.app
            batchesSinceCheckpoint = 0
        }
        if !entries.isEmpty {
            try memory.append(entries)
            store.append(entries)
        }
        if !hardState.isEmpty {
            memory.setHardState(hardState)
            store.hardState = hardState
        }
    }

    /// Makes the application's state durable if this batch is due for a checkpoint, or changed
    /// the membership. A checkpoint with a new membership is also snapshotted (without
    /// compacting): raft sends the newest snapshot to followers it cannot catch up from the log,
    /// and a member added after that snapshot was taken would refuse one that does not list it,
    /// again and again.
    func afterApplyBatch(checkpointEvery: Int, membershipChanged: Bool) throws {
        batchesSinceCheckpoint += 1
        guard membershipChanged || batchesSinceCheckpoint >= checkpointEvery else { return }
        store.app = app
        batchesSinceCheckpoint = 0
        if !store.app.confState.isEquivalent(to: store.snapshot.metadata.confState) {
            _ = try compact(keep: Int.max)
        }
    }

    /// Snapshots the durable application state and compacts the log. Returns whether anything
    /// was compacted or snapshotted.
    func compact(keep: Int) throws -> Bool {
        guard let memory, let (snap, compactTo) = store.snapshotAndCompact(keep: keep) else { return false }
        _ = try memory.createSnapshot(snap.metadata.index, confState: snap.metadata.confState, data: snap.data)
        if compactTo > memory.firstIndex() - 1 { try memory.compact(compactTo) }
        return true
    }
}
