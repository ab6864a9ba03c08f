import Raft

// Wrong: a new leader opens the gate for new proposals, but the answer is always false, so the
// proposals already waiting for a leader are never woken.
// Caught by: when a leader appears, proposals may go and the waiting ones are woken
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
    } else {
        r.logger.info("raft.node: \(hex(r.id)) lost leader \(hex(loop.observedLead)) at term \(r.term)")
        loop.acceptsProposals = false
    }
    return false
}
