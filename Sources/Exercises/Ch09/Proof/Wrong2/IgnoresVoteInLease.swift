import Raft

// Wrong: the lease is applied even without check-quorum, where nothing makes a leader step down
// when it loses its majority, so followers may ignore the only candidates that could replace it.
// Caught by: without check-quorum there is no lease
func ignoresVoteInLease(_ r: RaftStateMachine, _ m: Message) -> Bool {
    let transfer = m.context == Array(CampaignType.transfer.rawValue.utf8)
    return !transfer && r.lead != PeerID.none && r.electionElapsed < r.electionTimeout
}
