import Raft

/// Exercise 4.3, the reference: the library's own code.
func findConflictByTerm(_ log: RaftLog, index: UInt64, term: UInt64) -> (index: UInt64, term: UInt64) {
    log.findConflictByTerm(index: index, term: term)
}
