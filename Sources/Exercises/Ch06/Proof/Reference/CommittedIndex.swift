import Raft

/// Exercise 6.1, the reference: the library's own code.
func committedIndex(_ c: MajorityConfig, _ l: any AckedIndexer) -> UInt64 {
    c.committedIndex(l)
}
