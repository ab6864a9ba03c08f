import Raft

// Wrong: the quorum is computed as (n + 1) / 2, right for an odd number of voters but one short
// for an even number: half of the voters (a tie) wins, so two candidates can both win a term.
// Caught by: half of an even number of voters is not a majority
func voteResult(_ c: MajorityConfig, _ votes: [UInt64: Bool]) -> VoteResult {
    if c.isEmpty { return .voteWon }
    var granted = 0, missing = 0
    for id in c {
        if let vote = votes[id] {
            if vote { granted += 1 }
        } else {
            missing += 1
        }
    }
    let quorum = (c.count + 1) / 2
    if granted >= quorum { return .voteWon }
    if granted + missing >= quorum { return .votePending }
    return .voteLost
}
