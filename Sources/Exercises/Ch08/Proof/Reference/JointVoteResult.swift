import Raft

/// Exercise 8.2, the reference: the library's own code.
func jointVoteResult(_ c: JointConfig, _ votes: [UInt64: Bool]) -> VoteResult {
    c.voteResult(votes)
}
