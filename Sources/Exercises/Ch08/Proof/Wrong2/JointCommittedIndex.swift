import Raft

// Wrong: one majority over all the voters of both halves together, instead of a majority in
// each half: with halves of different sizes or members, that majority can miss most of one half.
// Caught by: each half needs its own majority: a majority of all the voters together is not enough
func jointCommittedIndex(_ c: JointConfig, _ l: any AckedIndexer) -> UInt64 {
    MajorityConfig(c.ids).committedIndex(l)
}
