import ExerciseSupport
import Raft

/// Exercise 5.2: a leader receives a read request.
///
/// Write the `msgReadIndex` case of `stepLeader` (`RaftStateMachine.handleReadIndex`, Chapter 5,
/// "The ReadIndex protocol", step 1). `m` asks for a read index: it comes from the leader's own
/// application (`m.from` is 0) or was forwarded by a follower or learner (`m.from` is that node);
/// the data of its single entry is the request's context.
///
/// The read index is the leader's commit index, and it is only safe once the leader knows the
/// commit index is current:
/// - a leader that is the only voter is a quorum by itself: it answers at once with its commit
///   index, without any confirmation, even before it has committed an entry of its own term;
/// - otherwise, a leader that has not yet committed an entry of its own term does not know the
///   real commit index: it holds the request in `r.pendingReadIndexMessages` (raft passes those
///   on once that entry commits);
/// - otherwise the request goes on to `r.readIndexResponse(m)`, the next step (which runs
///   `sendReadIndexResponse`: exercise 5.3, or the library's).
///
/// Useful: `r.trk.isSingleton()`, `r.committedEntryInCurrentTerm()`, `r.raftLog.committed`,
/// `r.responseToReadIndexReq(_:readIndex:)` (records a `ReadState` for a local request, returns the
/// message to send for a forwarded one), `r.send(_:)`.
///
/// Check it: `swift run workbook check 5`. Stuck: `swift run workbook hint 5.2`.
func handleReadIndex(_ r: RaftStateMachine, _ m: Message) {
    todo()
}
