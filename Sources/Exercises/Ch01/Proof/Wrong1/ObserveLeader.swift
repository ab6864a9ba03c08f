import Raft

// Wrong: losing the leader is logged but proposals keep going to raft, which drops them (a
// follower with no leader has nowhere to forward them) instead of letting them wait.
// Caught by: when the leader is lost, proposals wait again and nobody is woken
func observeLeader(_ loop: inout NodeLoop, _ r: RaftStateMachine) -> Bool {
    guard loop.observedLead != r.lead else { return false }
    defer { loop.observedLead = r.lead }
    if r.hasLeader {
        if loop.observedLead == PeerID.none {
            r.logger.info("raft.node: \(hex(r.id)) elected leader \(hex(r.lead)) at term \(r.term)")
        } else {
            r.logger.info("raft.node: \(hex(r.id)) changed leader from \(hex(loop.observedLead)) to \(hex(r.lead)) at term \(r.term)")
        }
        loop.acceptsProposals = true
        return true
    }
    r.logger.info("raft.node: \(hex(r.id)) lost leader \(hex(loop.observedLead)) at term \(r.term)")
    return false
}
