import ExerciseSupport
import Raft

/// Exercise 8.2: the result of an election in a joint configuration.
///
/// Write what `JointConfig.voteResult` does (Chapter 8, "Joint consensus"). A candidate calls your
/// function as votes come in (and a leader, with acknowledgements, to confirm a read or that a
/// quorum is still active).
///
/// `votes` maps the voters heard from to their answer (true: granted); a voter missing from it
/// has not answered. Return `.voteWon`, `.voteLost` or `.votePending` by the rules of the joint
/// configuration: while it is joint (`c.outgoing` not empty), both halves must be won for the
/// election to be won. When one half can no longer be won, the election is lost; otherwise the
/// outcome is still open. Outside a membership change, the answer is the incoming half's.
///
/// Each half is a `MajorityConfig`, whose own rule (exercise 2.1) you may call:
/// `c.incoming.voteResult(votes)`. Read what it answers for a half without voters.
///
/// Check it: `swift run workbook check 8`. Stuck: `swift run workbook hint 8.2`.
func jointVoteResult(_ c: JointConfig, _ votes: [UInt64: Bool]) -> VoteResult {
    todo()
}
