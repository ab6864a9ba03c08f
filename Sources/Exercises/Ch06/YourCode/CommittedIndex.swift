import ExerciseSupport
import Raft

/// Exercise 6.1: the index a majority has acknowledged.
///
/// Write what `MajorityConfig.committedIndex` does (Chapter 6, "The commit index"). Raft calls it
/// whenever a leader learns that a follower's log grew, to find how far it may commit (a joint
/// configuration asks it for each half and takes the lower answer), and etcd's quorum transcripts
/// call it directly.
///
/// `c` is a set of voters (`c.count` of them; iterate it, or `c.sorted`); `l.ackedIndex(id)` is
/// the highest index voter `id` is known to hold, or nil when nothing is known about it (count
/// that voter as holding 0). Return the highest index that more than half of the voters hold.
/// With no voters at all, return `UInt64.max`: an empty half of a joint configuration must never
/// hold back the other half.
///
/// Check it: `swift run workbook check 6`. Stuck: `swift run workbook hint 6.1`.
func committedIndex(_ c: MajorityConfig, _ l: any AckedIndexer) -> UInt64 {
    todo()
}
