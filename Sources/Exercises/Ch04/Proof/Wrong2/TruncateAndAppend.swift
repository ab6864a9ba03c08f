import Raft

// Wrong: no check for a gap, so entries after a gap are appended and the log loses its shape
// (entries[k].index == offset + k no longer holds).
// Caught by: a gap after the last entry is refused, changing nothing
func truncateAndAppend(_ u: Unstable, _ entries: [Entry]) throws(StorageError) {
    guard let first = entries.first else { return }
    let from = first.index
    let end = u.offset + UInt64(u.entries.count)
    if from >= end {
        u.entries.append(contentsOf: entries)
    } else if from <= u.offset {
        u.logger.info("replace the unstable entries from index \(from)")
        u.entries = entries
        u.offset = from
        u.offsetInProgress = from
    } else {
        u.logger.info("truncate the unstable entries before index \(from)")
        u.entries.removeSubrange(Int(from - u.offset)...)
        u.entries.append(contentsOf: entries)
        u.offsetInProgress = min(u.offsetInProgress, from)
    }
}
