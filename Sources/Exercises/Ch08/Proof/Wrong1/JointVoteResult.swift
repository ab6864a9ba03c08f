import Raft

// Wrong: only the incoming half is asked, so while joint a candidate is elected by the new
// voters alone, while the old voters may elect another leader in the same term.
// Caught by: an election is won only when both halves are won
func jointVoteResult(_ c: JointConfig, _ votes: [UInt64: Bool]) -> VoteResult {
    c.incoming.voteResult(votes)
}
