import ExerciseSupport
import Raft

/// Exercise 2.1: decide an election from the votes so far.
///
/// Write what `MajorityConfig.voteResult` does (Chapter 2, "step: what every role does"). Raft
/// calls your function wherever a majority must agree: a (pre-)candidate counting its votes, a
/// leader's check-quorum (which nodes were recently active), a leader confirming a read with its
/// heartbeats' acknowledgements, and each half of a joint configuration (chapter 8).
///
/// `c` is a set of voters (iterate it: `for id in c`; `c.count`, `c.isEmpty`). `votes` maps a node
/// to its answer, yes (true) or no (false); a voter absent from it has not answered yet, and
/// answers from nodes outside `c` do not count. Return `.voteWon` once more than half of the
/// voters said yes, `.voteLost` once that can no longer happen whatever the missing voters say,
/// and `.votePending` otherwise. The empty configuration wins every election (a joint
/// configuration with an empty half then behaves like its other half).
///
/// Check it: `swift run workbook check 2`. Stuck: `swift run workbook hint 2.1`.
func voteResult(_ c: MajorityConfig, _ votes: [UInt64: Bool]) -> VoteResult {
    todo()
}
