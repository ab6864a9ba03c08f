import Raft

// Wrong: the election is lost only when both halves are lost; a loss in one half leaves it
// pending, so a candidate that can no longer win waits for its election timeout.
// Caught by: a loss in either half loses the election
func jointVoteResult(_ c: JointConfig, _ votes: [UInt64: Bool]) -> VoteResult {
    let first = c.incoming.voteResult(votes)
    let second = c.outgoing.voteResult(votes)
    if first == .voteWon && second == .voteWon { return .voteWon }
    if first == .voteLost && second == .voteLost { return .voteLost }
    return .votePending
}
