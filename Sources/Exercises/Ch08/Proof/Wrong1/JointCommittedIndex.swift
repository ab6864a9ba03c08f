import Raft

// Wrong: only the incoming half is asked, so while joint the new voters alone commit entries,
// which a majority of the old voters may not hold (and the old voters can still elect a leader).
// Caught by: in a joint configuration an index commits only once both halves have a majority for it
func jointCommittedIndex(_ c: JointConfig, _ l: any AckedIndexer) -> UInt64 {
    c.incoming.committedIndex(l)
}
