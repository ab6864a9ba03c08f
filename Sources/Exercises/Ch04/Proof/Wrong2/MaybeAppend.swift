import Raft

// Wrong: appends every entry of the message instead of those from the first conflict, so
// entries already held (some of them committed) are written again, which the log refuses.
// Caught by: entries already held are kept, even below the commit index
func maybeAppend(_ log: RaftLog, index: UInt64, logTerm: UInt64, committed: UInt64,
                        entries: [Entry]) throws(StorageError) -> UInt64? {
    guard log.matchTerm(EntryID(term: logTerm, index: index)) else { return nil }
    let lastNewIndex = index + UInt64(entries.count)
    if !entries.isEmpty { try log.append(entries) }
    try log.commitTo(min(committed, lastNewIndex))
    return lastNewIndex
}
