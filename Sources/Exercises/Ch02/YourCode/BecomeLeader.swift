import ExerciseSupport
import Raft

/// Exercise 2.4: a candidate that won its election takes leadership.
///
/// Write what `RaftStateMachine.becomeLeader` does (Chapter 2, "A role is two functions"). Raft
/// calls your function when a candidate's tally says it won (and exercise 2.3 may call it too).
///
/// A role is two functions: install the leader's (`r.stepForRole = stepLeader`, and
/// `r.tickForRole = { $0.tickHeartbeat() }`). Start the leadership with a clean slate for the
/// term, keeping the term itself: `r.reset(term:)` clears votes, timers, progress, pending reads
/// and any transfer. Then the node leads (`r.lead`, `r.state`); its own progress counts as
/// replicating (it trivially holds its own log) and as recently active. A conf change may still
/// sit uncommitted in the log, and the leader does not know: `r.pendingConfIndex` must cover
/// everything up to the log's last index, so that no second conf change is proposed before it
/// is applied. Last, append one empty entry of the new term through `r.appendEntry` (it numbers
/// and stamps the entry, and the leader learns what is committed once that entry commits), and
/// log as etcd does, at INFO: `<id> became leader at term <term>` (the id in hex: `hex(r.id)`).
/// A follower never becomes leader directly: etcd panics (`r.logger.panic`).
///
/// Useful: `r.trk.progress[r.id]` (a `Progress`: `becomeReplicate()`, `recentActive`),
/// `r.raftLog.lastIndex()`, `Entry()`.
///
/// Check it: `swift run workbook check 2`. Stuck: `swift run workbook hint 2.4`.
func becomeLeader(_ r: RaftStateMachine) {
    todo()
}
