import Raft

/// Exercise 6.2, the reference: the library's own code.
func sentEntries(_ pr: Progress, _ entries: Int, _ bytes: UInt64) {
    pr.sentEntries(entries, bytes: bytes)
}
