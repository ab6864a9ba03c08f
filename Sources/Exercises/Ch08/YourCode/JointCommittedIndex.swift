import ExerciseSupport
import Raft

/// Exercise 8.1: what a joint configuration has committed.
///
/// Write what `JointConfig.committedIndex` does (Chapter 8, "Joint consensus"). The leader calls
/// your function whenever it looks for a new commit index; its voters are always a `JointConfig`,
/// joint or not.
///
/// `c.incoming` holds the voters being moved to, `c.outgoing` the voters being moved away from;
/// outside a membership change `c.outgoing` is empty. `l` tells the index each voter has
/// acknowledged (`l.ackedIndex(id)`, nil for none). Return the highest index that is committed
/// by the rules of the joint configuration: while it is joint, a decision needs the agreement of
/// each half by itself.
///
/// Each half is a `MajorityConfig`, whose own rule (exercise 6.1) you may call:
/// `c.incoming.committedIndex(l)`. Note what that rule answers for a half without voters (read
/// its documentation): your function must give the incoming half's answer when not joint.
///
/// Check it: `swift run workbook check 8`. Stuck: `swift run workbook hint 8.1`.
func jointCommittedIndex(_ c: JointConfig, _ l: any AckedIndexer) -> UInt64 {
    todo()
}
