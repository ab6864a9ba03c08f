import Raft

// Wrong: an index whose term is unknown gives up with (0, 0) instead of stopping there.
// Caught by: an index whose term the log cannot tell stops the search, with term 0
func findConflictByTerm(_ log: RaftLog, index: UInt64, term: UInt64) -> (index: UInt64, term: UInt64) {
    var i = index
    while i > 0 {
        let ours: UInt64
        do { ours = try log.term(i) } catch { return (0, 0) }
        if ours <= term { return (i, ours) }
        i -= 1
    }
    return (0, 0)
}
