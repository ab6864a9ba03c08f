import ExerciseSupport
import Raft

/// Exercise 4.3: guess where our log and another one still agree.
///
/// Write what `RaftLog.findConflictByTerm` does (Chapter 4, and chapter 6 for how a leader uses
/// it). A follower rejecting an append, and a leader reading that rejection, both call it.
///
/// Another log is known to hold an entry of term `term` at `index`. Return the largest index at
/// or below `index` where our log may agree with it, with our term there: the first index (going
/// down) whose term is at most `term`. An index whose term our log cannot tell (compacted away,
/// or beyond its end) stops the search there, with term 0. When no index qualifies, (0, 0).
///
/// Useful: `log.term(_:)` (throws for an index it cannot tell).
///
/// Check it: `swift run workbook check 4`. Stuck: `swift run workbook hint 4.3`.
func findConflictByTerm(_ log: RaftLog, index: UInt64, term: UInt64) -> (index: UInt64, term: UInt64) {
    todo()
}
