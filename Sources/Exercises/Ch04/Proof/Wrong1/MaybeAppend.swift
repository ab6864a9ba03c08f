import Raft

// Wrong: commits whatever the leader committed, even past the entries this message vouches for
// (the follower's log beyond them may still differ from the leader's).
// Caught by: the commit index moves no further than the entries vouched for
func maybeAppend(_ log: RaftLog, index: UInt64, logTerm: UInt64, committed: UInt64,
                        entries: [Entry]) throws(StorageError) -> UInt64? {
    guard log.matchTerm(EntryID(term: logTerm, index: index)) else { return nil }
    let lastNewIndex = index + UInt64(entries.count)
    let conflict = log.findConflict(entries)
    if conflict != 0 {
        if conflict <= log.committed {
            throw .invalidIndex("entry \(conflict) conflict with committed entry [committed(\(log.committed))]")
        }
        try log.append(Array(entries[Int(conflict - index - 1)...]))
    }
    try log.commitTo(min(committed, log.lastIndex()))
    return lastNewIndex
}
