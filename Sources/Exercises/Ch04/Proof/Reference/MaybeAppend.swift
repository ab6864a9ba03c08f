import Raft

/// Exercise 4.4, the reference: the library's own code.
func maybeAppend(_ log: RaftLog, index: UInt64, logTerm: UInt64, committed: UInt64,
                        entries: [Entry]) throws(StorageError) -> UInt64? {
    try log.maybeAppend(LogSlice(prev: EntryID(term: logTerm, index: index), entries: entries), committed: committed)
}
