import Raft

/// Exercise 5.1, the reference: the library's own code.
func readOnlyAdvance(_ ro: inout ReadOnly, _ m: Message) -> [ReadIndexStatus] {
    ro.advance(m)
}
