import Raft

// Wrong: "knows no leader" is taken as enough to vote, so a node that already voted for one
// candidate in this term votes for a second one too: two leaders can be elected in one term.
// Caught by: a node votes for at most one candidate per term
func grantsVote(_ r: RaftStateMachine, _ m: Message) -> Bool {
    let canVote = r.vote == m.from
        || r.lead == PeerID.none
        || (m.type == .msgPreVote && m.term > r.term)
    let last = r.raftLog.lastEntryID()
    return canVote && (m.logTerm > last.term || (m.logTerm == last.term && m.index >= last.index))
}
