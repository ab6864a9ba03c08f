import ExerciseSupport
import Raft

/// Exercise 2.3: a (pre-)candidate counts an answer to its campaign.
///
/// Write what `stepCandidate` does with a response to its own vote requests (Chapter 2, "The
/// role functions"): `m` is a `MsgVoteResp` to a candidate or a `MsgPreVoteResp` to a
/// pre-candidate (its own vote included: it answers itself), from `m.from`, granted unless
/// `m.reject`.
///
/// Record the vote and get the tally with `r.poll(from, type, granted)`, which logs raft's
/// `received ...` line and returns the granted and rejected counts and the result; then log as
/// etcd does, at INFO: `<id> has received <granted> <type> votes and <rejected> vote rejections`
/// (ids in hex: `hex(r.id)`; the type as `\(m.type)` prints it). Then act on the result. Won as a
/// pre-candidate: start the real election (`r.campaign(.election)`). Won as a candidate: take
/// leadership (`r.becomeLeader()`, or your own `becomeLeader(r)` from exercise 2.4) and send
/// every follower its appends at once (`r.bcastAppend()`). Lost: go back to following, with no
/// leader, in the node's own term (a pre-vote answer carries a future term that this node never
/// entered). Pending: wait for more answers.
///
/// Useful: `r.state` (`.preCandidate`, `.candidate`), `r.term`, `r.logger`, `r.becomeFollower(term:lead:)`.
///
/// Check it: `swift run workbook check 2`. Stuck: `swift run workbook hint 2.3`.
func handleVoteResponse(_ r: RaftStateMachine, _ m: Message) {
    todo()
}
