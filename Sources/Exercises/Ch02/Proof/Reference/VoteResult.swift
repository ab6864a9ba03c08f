import Raft

/// Exercise 2.1, the reference: the library's own code.
func voteResult(_ c: MajorityConfig, _ votes: [UInt64: Bool]) -> VoteResult {
    c.voteResult(votes)
}
