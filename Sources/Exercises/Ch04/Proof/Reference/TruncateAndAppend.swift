import Raft

/// Exercise 4.1, the reference: the library's own code.
func truncateAndAppend(_ u: Unstable, _ entries: [Entry]) throws(StorageError) {
    try u.truncateAndAppend(entries)
}
