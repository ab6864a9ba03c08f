import Raft

// Wrong: stops only at a term strictly below the given one (an off-by-one in the comparison).
// Caught by: the answer is the first index going down whose term is at most the given one
func findConflictByTerm(_ log: RaftLog, index: UInt64, term: UInt64) -> (index: UInt64, term: UInt64) {
    var i = index
    while i > 0 {
        let ours: UInt64
        do { ours = try log.term(i) } catch { return (i, 0) }
        if ours < term { return (i, ours) }
        i -= 1
    }
    return (0, 0)
}
