import Raft

/// Exercise 8.1, the reference: the library's own code.
func jointCommittedIndex(_ c: JointConfig, _ l: any AckedIndexer) -> UInt64 {
    c.committedIndex(l)
}
