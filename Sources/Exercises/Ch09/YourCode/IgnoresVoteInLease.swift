import ExerciseSupport
import Raft

/// Exercise 9.2: whether a vote request is ignored because the leader is alive.
///
/// Write the leader-lease test at the top of `RaftStateMachine.step` (Chapter 2, "Elections,
/// PreVote and CheckQuorum"; Chapter 9, step 3; Raft thesis §4.2.3). Raft calls your function for
/// a `MsgVote` or `MsgPreVote` whose term is higher than the node's, before anything else: return
/// true and raft drops the request (logging that the lease is not expired), leaving the node's
/// term alone.
///
/// The lease exists only with check-quorum (`r.checkQuorum`): then a node that knows a leader
/// (`r.lead`) and heard from it less than an election timeout ago (`r.electionElapsed` below
/// `r.electionTimeout`) takes the candidate for a node that was cut off, not a sign that the
/// leader is gone. The lease never stops a campaign the leader itself asked for: the requests of
/// a leadership transfer carry the context `CampaignTransfer` (`m.context` holds the bytes of
/// `CampaignType.transfer.rawValue`).
///
/// Check it: `swift run workbook check 9`. Stuck: `swift run workbook hint 9.2`.
func ignoresVoteInLease(_ r: RaftStateMachine, _ m: Message) -> Bool {
    todo()
}
