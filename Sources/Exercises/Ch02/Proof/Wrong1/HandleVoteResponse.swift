import Raft

// Wrong: the new leader does not send its appends at once; followers hear of it only at the
// next heartbeat, and etcd's transcripts show the missing MsgApps.
// Caught by: a candidate that wins becomes leader and sends its appends at once
func handleVoteResponse(_ r: RaftStateMachine, _ m: Message) {
    let (granted, rejected, result) = r.poll(m.from, m.type, !m.reject)
    r.logger.info("\(hex(r.id)) has received \(granted) \(m.type) votes and \(rejected) vote rejections")
    switch result {
    case .voteWon:
        if r.state == .preCandidate {
            r.campaign(.election)
        } else {
            r.becomeLeader()
        }
    case .voteLost:
        r.becomeFollower(term: r.term, lead: PeerID.none)
    case .votePending:
        break
    }
}
