import Raft

extension MemoryStorage {
    /// Writes what a `Ready` asks to persist, in the order `Ready` documents: the snapshot, the
    /// entries, then the hard state. The tests' and the in-process cluster's one copy of it; an
    /// application with a real disk does the same with its own storage.
    public func persist(_ rd: Ready) throws(StorageError) {
        if !rd.snapshot.isEmpty { try applySnapshot(rd.snapshot) }
        try append(rd.entries)
        if !rd.hardState.isEmpty { setHardState(rd.hardState) }
    }
}
