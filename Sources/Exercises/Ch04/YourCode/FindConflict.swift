import ExerciseSupport
import Raft

/// Exercise 4.2: find where a leader's entries stop agreeing with our log.
///
/// Write what `RaftLog.findConflict` does (Chapter 4, "raftLog"). Raft calls it when a follower
/// takes a leader's entries (from `maybeAppend`, exercise 4.4).
///
/// `entries` are contiguous and start after the log's compaction point. Return the index of the
/// first of them the log does not already hold: one where the log has an entry of another term,
/// or the first one past the log's last index. Return 0 when the log holds them all. When the
/// answer is an index where the log has a different entry, log it as etcd does, at INFO:
/// `found conflict at index I [existing term: T, conflicting term: U]`.
///
/// Useful: `log.matchTerm(_:)`, `log.lastIndex()`, `log.zeroTermOnOutOfBounds(_:)`,
/// `log.logger`, `entry.id`.
///
/// Check it: `swift run workbook check 4`. Stuck: `swift run workbook hint 4.2`.
func findConflict(_ log: RaftLog, _ entries: [Entry]) -> UInt64 {
    todo()
}
