import ExerciseSupport
import Raft

/// Exercise 4.1: take a leader's entries into the unstable log.
///
/// Write what `Unstable.truncateAndAppend` does (Chapter 4, "unstable"). Raft calls your function
/// in place of it whenever the log appends: a leader appending its proposals, a follower taking
/// entries from its leader.
///
/// `u` holds entries not yet known to be durable: `u.entries`, the first of them at index
/// `u.offset`, and `u.offsetInProgress`, one past the last entry already handed to the
/// application for writing. `entries` are contiguous (indexes go up by one) and not empty unless
/// there is nothing to do. A leader's entries win: from their first index on, whatever `u` held
/// is replaced. Afterwards `u.entries` must again start at `u.offset` with no gap, and
/// `u.offset <= u.offsetInProgress <= u.offset + u.entries.count` must hold; a write in flight
/// for an entry that was replaced no longer counts. Entries that would leave a gap after the last
/// entry held are refused with `StorageError.invalidIndex` (etcd panics there), changing nothing.
/// Log what etcd logs (`u.logger.info`) when entries are replaced or truncated: the transcripts
/// compare log lines too.
///
/// Check it: `swift run workbook check 4`. Stuck: `swift run workbook hint 4.1`.
func truncateAndAppend(_ u: Unstable, _ entries: [Entry]) throws(StorageError) {
    todo()
}
