import Raft

/// Exercise 4.2, the reference: the library's own code.
func findConflict(_ log: RaftLog, _ entries: [Entry]) -> UInt64 {
    log.findConflict(entries)
}
