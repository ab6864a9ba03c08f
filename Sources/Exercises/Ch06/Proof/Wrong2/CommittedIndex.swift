import Raft

// Wrong: sorts ascending and takes position n/2, the median; with an even number of voters that
// index is held by only half of them, which is not a majority.
// Caught by: an even number of voters: half of them is not a majority
func committedIndex(_ c: MajorityConfig, _ l: any AckedIndexer) -> UInt64 {
    if c.isEmpty { return UInt64.max }
    let acked = c.sorted.map { l.ackedIndex($0) ?? 0 }.sorted()
    return acked[acked.count / 2]
}
