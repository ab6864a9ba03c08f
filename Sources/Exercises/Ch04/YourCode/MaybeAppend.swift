import ExerciseSupport
import Raft

/// Exercise 4.4: a follower takes a leader's append.
///
/// Write what `RaftLog.maybeAppend` does (Chapter 4, "raftLog"): the heart of a follower's
/// handling of `MsgApp`. The leader says: my log has an entry of term `logTerm` at `index`, then
/// `entries`, and my commit index is `committed`.
///
/// If our log does not hold that (`index`, `logTerm`) entry, return nil: the leader must try
/// further back. Otherwise keep the entries we already hold, replace ours from the first one that
/// conflicts (appending through `log.append`), raise the commit index to what the leader
/// committed, but never past the last entry this message vouches for, and return the index of
/// that last entry. Committed entries never change: a conflict at or below `log.committed` throws
/// `StorageError.invalidIndex` (etcd panics). Throw the same for entries that do not follow
/// `index` one by one.
///
/// Useful: `log.matchTerm(_:)`, your `findConflict` (exercise 4.2), `log.append(_:)`,
/// `log.commitTo(_:)`, `entries.checkContiguous()`.
///
/// Check it: `swift run workbook check 4`. Stuck: `swift run workbook hint 4.4`.
func maybeAppend(_ log: RaftLog, index: UInt64, logTerm: UInt64, committed: UInt64,
                        entries: [Entry]) throws(StorageError) -> UInt64? {
    todo()
}
