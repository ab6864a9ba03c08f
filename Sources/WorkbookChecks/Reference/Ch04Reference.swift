import Raft

/// Chapter 4 answered by the library's `Unstable` and `RaftLog` (package access).
struct Ch04Reference: Ch04Exercises {
    func truncateAndAppend(_ unstable: UnstableLog, _ entries: [EntryID]) -> UnstableLog? {
        let real = Unstable(
            entries: unstable.entries.map { Entry(term: $0.term, index: $0.index) },
            offset: unstable.offset, offsetInProgress: unstable.offsetInProgress, logger: DiscardLogger())
        do {
            try real.truncateAndAppend(entries.map { Entry(term: $0.term, index: $0.index) })
        } catch {
            return nil
        }
        return UnstableLog(offset: real.offset, offsetInProgress: real.offsetInProgress, entries: real.entries.map(\.id))
    }

    func findConflict(log: LogTerms, entries: [EntryID]) -> UInt64 {
        guard let raftLog = Ch04Reference.raftLog(log) else { return 0 }
        return raftLog.findConflict(entries.map { Entry(term: $0.term, index: $0.index) })
    }

    func findConflictByTerm(log: LogTerms, index: UInt64, term: UInt64) -> EntryID {
        guard let raftLog = Ch04Reference.raftLog(log) else { return EntryID(term: 0, index: 0) }
        let found = raftLog.findConflictByTerm(index: index, term: term)
        return EntryID(term: found.term, index: found.index)
    }

    /// A `RaftLog` over a `MemoryStorage` holding `log`: compacted (a snapshot) up to
    /// `compactedIndex`, then the entries.
    static func raftLog(_ log: LogTerms) -> RaftLog? {
        let storage = MemoryStorage()
        do {
            if log.compactedIndex > 0 {
                try storage.applySnapshot(Snapshot(metadata: SnapshotMetadata(
                    index: log.compactedIndex, term: log.compactedTerm)))
            }
            try storage.append(log.terms.enumerated().map { k, term in
                Entry(term: term, index: log.compactedIndex + 1 + UInt64(k))
            })
        } catch {
            return nil
        }
        return RaftLog(storage: storage, logger: DiscardLogger())
    }
}
