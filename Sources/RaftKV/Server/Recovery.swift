import Raft

/// Why a node refuses to start from its data directory.
public struct RecoveryError: Error, Sendable, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}

/// Rebuilds a node's state from its data directory: the newest snapshot that reads back whole,
/// then the WAL after it, each checked against the other, so that a node killed at any point
/// comes back with every write it acknowledged, or refuses to start.
///
/// etcd raftexample: `replayWAL` and `loadSnapshot`.
enum Recovery {
    /// What recovery hands the node it starts. Not `Sendable`: it carries the `WAL`, which
    /// goes on to the one task that owns it.
    struct Recovered {
        let snapshots: SnapshotStore
        let wal: WAL
        /// Raft's view of the log: the snapshot, the hard state and the WAL's entries after it.
        let storage: MemoryStorage
        /// The state machine as of the snapshot (the entries after it are applied again).
        let kv: KVStore
        let state: RaftKVNode.LoopState
        let hadSnapshot: Bool
        /// Whether the node ran before (a snapshot or a WAL record): then raft restarts from
        /// its storage instead of bootstrapping.
        let hasHistory: Bool
    }

    static func recover(options: NodeOptions, logger: any Logger) throws -> Recovered {
        // 1. The newest snapshot that reads back whole, then the WAL after it.
        let snapshots = try SnapshotStore(directory: options.dataDirectory + "/snap", logger: logger)
        let snapshot = try snapshots.loadNewest()
        let snapIndex = snapshot?.metadata.index ?? 0
        let (wal, replay) = try WAL.open(directory: options.dataDirectory + "/wal", logger: logger,
                                         segmentBytes: options.walSegmentBytes)
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
        let storage = MemoryStorage()
        let kv = KVStore()
        var state = RaftKVNode.LoopState()
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
        logger.info("recovered: snapshot at \(snapIndex), \(entries.count) WAL entries after it, \(hardState)")
        return Recovered(snapshots: snapshots, wal: wal, storage: storage, kv: kv, state: state,
                         hadSnapshot: snapshot != nil, hasHistory: replay.hadRecords || snapshot != nil)
    }
}
