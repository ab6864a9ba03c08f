import Raft

// Wrong: the transfer's campaign is not let through: followers that still hear from the old
// leader ignore the transferee's vote requests, and the transfer fails.
// Caught by: a transfer campaign is never ignored
func ignoresVoteInLease(_ r: RaftStateMachine, _ m: Message) -> Bool {
    r.checkQuorum && r.lead != PeerID.none && r.electionElapsed < r.electionTimeout
}
