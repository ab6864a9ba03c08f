import Raft

// Wrong: takes the middle voter's index in the order of the voters' ids, forgetting to sort by
// index: with five voters it can commit what only two of them (the leader and one more) hold.
// Caught by: an odd number of voters: the highest index a majority holds
func committedIndex(_ c: MajorityConfig, _ l: any AckedIndexer) -> UInt64 {
    if c.isEmpty { return UInt64.max }
    let acked = c.sorted.map { l.ackedIndex($0) ?? 0 }
    return acked[acked.count / 2]
}
