import ExerciseSupport
import Raft

/// Exercise 9.1: a leader is asked to hand its leadership over.
///
/// Write what `RaftStateMachine.handleTransferLeader` does (Chapter 9, "The protocol", steps 1
/// and 2). The leader calls your function for a `MsgTransferLeader`: the node the application
/// wants as leader is `m.from` (a follower forwards the request that way), and `pr` is that
/// node's progress.
///
/// Ignore a request that cannot or need not be served: a learner cannot lead (log at DEBUG
/// `<id> is learner. Ignored transferring leadership`); a transfer to the same node is already
/// under way (INFO `<id> [term <term>] transfer leadership to <to> is in progress, ignores request
/// to same node <to>`); the leader itself is asked for (DEBUG `<id> is already leader. Ignored
/// transferring leadership to self`). A transfer to another node still under way is abandoned
/// first (`r.abortLeaderTransfer()`, then INFO `<id> [term <term>] abort previous transferring
/// leadership to <previous>`), and the new request is served.
///
/// Serving it: log INFO `<id> [term <term>] starts to transfer leadership to <to>`, record the
/// transferee in `r.leadTransferee` (the leader refuses proposals from then on), and give the
/// transfer a whole election timeout from now (the leader's tick abandons it once
/// `r.electionElapsed` reaches `r.electionTimeout`). If the transferee's log already reaches the
/// leader's last index, tell it to campaign at once (`r.sendTimeoutNow(to)`, then INFO `<id> sends
/// MsgTimeoutNow to <to> immediately as <to> already has up-to-date log`); otherwise send it what
/// it lacks (`r.sendAppend(to)`): the leader sends `MsgTimeoutNow` when its acknowledgement shows
/// it caught up. Ids in hex (`hex(_:)`).
///
/// Useful: `pr.isLearner`, `pr.match`, `r.raftLog.lastIndex()`, `r.id`, `r.term`, `r.logger`.
///
/// Check it: `swift run workbook check 9`. Stuck: `swift run workbook hint 9.1`.
func handleTransferLeader(_ r: RaftStateMachine, _ m: Message, _ pr: Progress) {
    todo()
}
