import Raft

/// What one node has on disk: raft's hard state, log and snapshot, and the application's last
/// checkpoint. It survives crashes; nothing else about a node does.
///
/// Raft itself reads a `MemoryStorage`, which the node keeps in step with this store: every write
/// goes to both at the moment it becomes durable (when a Ready is handled, or when the append
/// thread gets to it under async storage writes). On restart, a fresh `MemoryStorage` is rebuilt
/// from this store alone, so anything that only ever lived in memory is gone.
struct DurableStore {
    var hardState = HardState()
    /// The newest snapshot: received from a leader, or made by this node when compacting.
    var snapshot = Snapshot()
    /// The log is compacted up to here: `entries` starts at `compactedIndex + 1`.
    var compactedIndex: UInt64 = 0
    /// The term of the entry at `compactedIndex`.
    var compactedTerm: UInt64 = 0
    var entries: [Entry] = []
    /// The application's state as of its last checkpoint.
    var app = AppState()

    var lastIndex: UInt64 { compactedIndex + UInt64(entries.count) }

    /// The term of the entry at `index`, when it is held (or is the compaction point).
    func term(_ index: UInt64) -> UInt64? {
        if index == compactedIndex { return compactedTerm }
        guard index > compactedIndex, index <= lastIndex else { return nil }
        return entries[Int(index - compactedIndex - 1)].term
    }

    /// Writes entries as `MemoryStorage.append` does: replaces what is held from the first new
    /// index on, skipping what is already compacted. Raft hands out contiguous entries; a gap
    /// would mean a broken Ready and is reported by the caller through `MemoryStorage`'s error.
    mutating func append(_ new: [Entry]) {
        guard let first = new.first, let last = new.last, last.index > compactedIndex else { return }
        let skip = first.index <= compactedIndex ? Int(compactedIndex + 1 - first.index) : 0
        let from = first.index + UInt64(skip)
        guard from <= lastIndex + 1 else { return }
        entries.removeSubrange(Int(from - compactedIndex - 1)...)
        entries.append(contentsOf: new[skip...])
    }

    /// Replaces the whole log with a snapshot from the leader; the application state follows.
    mutating func install(_ s: Snapshot) {
        snapshot = s
        compactedIndex = s.metadata.index
        compactedTerm = s.metadata.term
        entries = []
        app = AppState(snapshot: s)
    }

    /// Records a snapshot of the application checkpoint and drops the entries up to
    /// `compactTo` (at most the snapshot's index). Returns the snapshot, nil when there is
    /// nothing new to snapshot.
    mutating func snapshotAndCompact(keep: Int) -> (snapshot: Snapshot, compactTo: UInt64)? {
        let index = app.appliedIndex
        guard index > snapshot.metadata.index, let t = term(index) else { return nil }
        snapshot = Snapshot(data: app.snapshotData,
                            metadata: SnapshotMetadata(confState: app.confState, index: index, term: t))
        let compactTo = max(compactedIndex, index - min(index, UInt64(keep)))
        if compactTo > compactedIndex, let ct = term(compactTo) {
            entries.removeSubrange(0..<Int(compactTo - compactedIndex))
            compactedIndex = compactTo
            compactedTerm = ct
        }
        return (snapshot, compactedIndex)
    }

    /// A `MemoryStorage` holding exactly what is on disk, for a node that restarts.
    func makeMemoryStorage(hardState hs: HardState) throws -> MemoryStorage {
        let m = MemoryStorage()
        if compactedIndex > 0 {
            // Start the log at the compaction point, with the newest snapshot's membership, then
            // record the snapshot itself if it is newer than the compaction point.
            try m.applySnapshot(Snapshot(data: snapshot.data, metadata: SnapshotMetadata(
                confState: snapshot.metadata.confState, index: compactedIndex, term: compactedTerm)))
        }
        try m.append(entries)
        if snapshot.metadata.index > compactedIndex {
            _ = try m.createSnapshot(snapshot.metadata.index, confState: snapshot.metadata.confState,
                                     data: snapshot.data)
        }
        m.setHardState(hs)
        return m
    }
}

/// Raft's view of a restarted node's disk: the rebuilt log, with the membership the application
/// had at its checkpoint (raft restarts from `Config.applied` = the checkpoint's index, so the
/// membership must be the one in force there, not the older one of the snapshot).
final class RestartStorage: Storage {
    let memory: MemoryStorage
    let confState: ConfState

    init(memory: MemoryStorage, confState: ConfState) {
        self.memory = memory
        self.confState = confState
    }

    func initialState() -> (HardState, ConfState) { (memory.hardState, confState) }
    func entries(_ lo: UInt64, _ hi: UInt64, maxSize: UInt64) throws(StorageError) -> [Entry] {
        try memory.entries(lo, hi, maxSize: maxSize)
    }
    func term(_ i: UInt64) throws(StorageError) -> UInt64 { try memory.term(i) }
    func lastIndex() -> UInt64 { memory.lastIndex() }
    func firstIndex() -> UInt64 { memory.firstIndex() }
    func snapshot() -> Snapshot { memory.snapshot() }
}
