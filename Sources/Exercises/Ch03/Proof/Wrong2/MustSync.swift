import Raft

// Wrong: the vote is forgotten: a vote cast in a term the node already knew is written lazily,
// and a crash can make the node forget it and vote again in that term.
// Caught by: a new vote must be synced, even in a term already known
func mustSync(_ hs: HardState, _ prev: HardState, _ entryCount: Int) -> Bool {
    entryCount != 0 || hs.term != prev.term
}
