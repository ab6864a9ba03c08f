import Raft

/// Exercise 3.1, the reference: the library's own code.
func mustSync(_ hs: HardState, _ prev: HardState, _ entryCount: Int) -> Bool {
    Ready.mustSync(hs, prev, entryCount: entryCount)
}
