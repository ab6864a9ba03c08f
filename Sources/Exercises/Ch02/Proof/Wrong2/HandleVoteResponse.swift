import Raft

// Wrong: a pre-candidate that wins its pre-vote takes leadership at once, in its old term,
// instead of starting the real election: a term can end up with two leaders.
// Caught by: a pre-candidate that wins its pre-vote starts the real election
func handleVoteResponse(_ r: RaftStateMachine, _ m: Message) {
    let (granted, rejected, result) = r.poll(m.from, m.type, !m.reject)
    r.logger.info("\(hex(r.id)) has received \(granted) \(m.type) votes and \(rejected) vote rejections")
    switch result {
    case .voteWon:
        r.becomeLeader()
        r.bcastAppend()
    case .voteLost:
        r.becomeFollower(term: r.term, lead: PeerID.none)
    case .votePending:
        break
    }
}
