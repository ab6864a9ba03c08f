import Raft

// Wrong: MsgTimeoutNow goes out at once whatever the transferee holds: a lagging transferee
// campaigns with a log that is behind, the voters refuse it, and the transfer fails.
// Caught by: a lagging transferee first gets the missing entries, not MsgTimeoutNow
func handleTransferLeader(_ r: RaftStateMachine, _ m: Message, _ pr: Progress) {
    if pr.isLearner {
        r.logger.debug("\(hex(r.id)) is learner. Ignored transferring leadership")
        return
    }
    let to = m.from
    let previous = r.leadTransferee
    if previous != PeerID.none {
        if previous == to {
            r.logger.info("\(hex(r.id)) [term \(r.term)] transfer leadership to \(hex(to)) is in progress, "
                + "ignores request to same node \(hex(to))")
            return
        }
        r.abortLeaderTransfer()
        r.logger.info("\(hex(r.id)) [term \(r.term)] abort previous transferring leadership to \(hex(previous))")
    }
    if to == r.id {
        r.logger.debug("\(hex(r.id)) is already leader. Ignored transferring leadership to self")
        return
    }
    r.logger.info("\(hex(r.id)) [term \(r.term)] starts to transfer leadership to \(hex(to))")
    r.electionElapsed = 0
    r.leadTransferee = to
    r.sendTimeoutNow(to)
    r.logger.info("\(hex(r.id)) sends MsgTimeoutNow to \(hex(to)) immediately as \(hex(to)) already has up-to-date log")
}
