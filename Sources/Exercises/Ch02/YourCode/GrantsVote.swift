import ExerciseSupport
import Raft

/// Exercise 2.2: whether to give a candidate this node's vote.
///
/// Write the rule `RaftStateMachine.step` applies to a `MsgVote` or `MsgPreVote` (Chapter 2,
/// "step: what every role does"). Raft calls your function once the message's term is settled
/// (a vote request of a higher term has already made this node a follower of that term; a
/// pre-vote never moves the term, so `m.term` may still be above `r.term`). Raft does the rest:
/// the answer, the log line, and recording the vote when it is granted.
///
/// The candidate is `m.from`; the last entry of its log is at index `m.index` with term
/// `m.logTerm`. Return true to grant. A node may vote only if it already voted for this
/// candidate in this term, or has voted for nobody and knows no leader in this term, or the
/// request is a pre-vote about a term later than its own (a pre-vote promises nothing). And it
/// grants only a candidate whose log is at least as up to date as its own (Raft paper §5.4.1):
/// a later last term wins; with equal last terms, the longer log (or an equal one). Granting
/// wrongly elects two leaders in one term, or a leader that lacks committed entries.
///
/// Useful: `r.term`, `r.vote`, `r.lead`, `PeerID.none`, `r.raftLog.lastEntryID()`, `m.type`.
///
/// Check it: `swift run workbook check 2`. Stuck: `swift run workbook hint 2.2`.
func grantsVote(_ r: RaftStateMachine, _ m: Message) -> Bool {
    todo()
}
