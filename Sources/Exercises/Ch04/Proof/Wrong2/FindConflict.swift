import Raft

// Wrong: the right index, but the conflict is not logged; etcd's transcripts print that line.
// Caught by: a different term at an index is a conflict, logged as etcd logs it
func findConflict(_ log: RaftLog, _ entries: [Entry]) -> UInt64 {
    for entry in entries where !log.matchTerm(entry.id) {
        return entry.index
    }
    return 0
}
