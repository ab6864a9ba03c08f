import Raft

// Wrong: no up-to-date check: any candidate the node may vote for gets the vote, even one whose
// log lacks entries this node holds (and may have helped commit).
// Caught by: a candidate whose log is behind ours is refused
func grantsVote(_ r: RaftStateMachine, _ m: Message) -> Bool {
    r.vote == m.from
        || (r.vote == PeerID.none && r.lead == PeerID.none)
        || (m.type == .msgPreVote && m.term > r.term)
}
