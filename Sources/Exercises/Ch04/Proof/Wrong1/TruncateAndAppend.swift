import Raft

// Wrong: truncating inside the log forgets to pull back what is in flight, so a write in flight
// for a replaced entry still counts as covering the new one.
// Caught by: entries inside the log truncate it, and pull back what is in flight
func truncateAndAppend(_ u: Unstable, _ entries: [Entry]) throws(StorageError) {
    guard let first = entries.first else { return }
    let from = first.index
    let end = u.offset + UInt64(u.entries.count)
    if from == end {
        u.entries.append(contentsOf: entries)
    } else if from <= u.offset {
        u.logger.info("replace the unstable entries from index \(from)")
        u.entries = entries
        u.offset = from
        u.offsetInProgress = from
    } else if from > end {
        throw .invalidIndex("unstable.slice[\(u.offset),\(from)) out of bound [\(u.offset),\(end)]")
    } else {
        u.logger.info("truncate the unstable entries before index \(from)")
        u.entries.removeSubrange(Int(from - u.offset)...)
        u.entries.append(contentsOf: entries)
    }
}
