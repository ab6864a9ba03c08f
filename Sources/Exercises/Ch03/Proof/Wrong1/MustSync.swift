import Raft

// Wrong: any change of the hard state is synced, the commit index included, so a Ready that
// only learns a new commit index pays for an fsync it does not need.
// Caught by: a Ready that only moves the commit index needs no sync
func mustSync(_ hs: HardState, _ prev: HardState, _ entryCount: Int) -> Bool {
    entryCount != 0 || hs != prev
}
