import Raft

// Wrong: every yes in `votes` is counted, also from nodes that are not voters of this
// configuration (a learner acknowledging a read, the other half of a joint configuration).
// Caught by: answers from nodes outside the configuration do not count
func voteResult(_ c: MajorityConfig, _ votes: [UInt64: Bool]) -> VoteResult {
    if c.isEmpty { return .voteWon }
    let granted = votes.values.filter { $0 }.count
    let answered = c.filter { votes[$0] != nil }.count
    let missing = c.count - answered
    let quorum = c.count / 2 + 1
    if granted >= quorum { return .voteWon }
    if granted + missing >= quorum { return .votePending }
    return .voteLost
}
