import ExerciseSupport
import Raft

/// Exercise 7.1: a leader catches up a follower whose next entries were compacted away.
///
/// Write what `RaftStateMachine.maybeSendSnapshot` does (Chapter 7, "Sending a snapshot"). The
/// leader `r` calls your function from `maybeSendAppend` when it wanted to send follower `to` the
/// entries from `pr.next` on, but the log no longer has them (or the term of the entry before
/// them): only a snapshot can catch that follower up. `pr` is the follower's progress.
///
/// A snapshot can be large: send one only to a follower heard from recently (`pr.recentActive`).
/// Take the latest snapshot from the log; the storage may answer
/// `StorageError.snapshotTemporarilyUnavailable` (it is being made): then send nothing now, raft
/// will ask again. Any other error, or an empty snapshot, is a bug in the storage:
/// `r.logger.panic(...)`, as etcd. Otherwise put the follower's progress in `StateSnapshot` for
/// that snapshot's index (its appends pause until the snapshot is applied or reported), and send
/// it a `MsgSnap` carrying the snapshot (`r.send`). Return whether a snapshot went out.
///
/// etcd logs at DEBUG, and the transcripts print these lines (ids in hex: `hex(_:)`; `PR` is
/// the progress as it prints, `[\(pr)]`):
/// - not recently active: `ignore sending snapshot to TO since it is not recently active`
/// - unavailable: `ID failed to send snapshot to TO because snapshot is temporarily unavailable`
/// - before changing the progress: `ID [firstindex: F, commit: C] sent snapshot[index: I, term: T] to TO [PR]`
///   (F and C are the leader's log's first index and commit index; I and T the snapshot's)
/// - after: `ID paused sending replication messages to TO [PR]`
///
/// Useful: `r.raftLog.snapshot()`, `r.raftLog.firstIndex()`, `r.raftLog.committed`, `r.id`,
/// `r.logger.debug(_:)`, `snapshot.isEmpty`, `snapshot.metadata.index` and `.term`,
/// `pr.becomeSnapshot(_:)`, `Message(type: .msgSnap, to:, snapshot:)`.
///
/// Check it: `swift run workbook check 7`. Stuck: `swift run workbook hint 7.1`.
func maybeSendSnapshot(_ r: RaftStateMachine, _ to: UInt64, _ pr: Progress) -> Bool {
    todo()
}
