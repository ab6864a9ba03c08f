// Read-only hooks for the fault simulator in RaftSimulation (same package, not public API). The
// simulator checks safety properties against raft's own log, including the unstable tail that no
// Ready has handed out yet, so it needs a look inside.

extension RawNode {
    /// The term of the entry at `index` in raft's log (storage and unstable tail together), or nil
    /// when the entry is compacted away or beyond the last index.
    package func logTerm(at index: UInt64) -> UInt64? {
        try? raft.raftLog.term(index)
    }

    /// The first index whose entry raft still holds, and the last index of its log.
    package var logBounds: (first: UInt64, last: UInt64) {
        (raft.raftLog.firstIndex(), raft.raftLog.lastIndex())
    }
}
