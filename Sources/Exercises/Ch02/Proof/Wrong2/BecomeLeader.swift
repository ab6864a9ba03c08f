import Raft

// Wrong: the leader keeps the election tick, so it never sends heartbeats; its followers time
// out and depose it.
// Caught by: the leader ticks heartbeats, not elections
func becomeLeader(_ r: RaftStateMachine) {
    if r.state == .follower { r.logger.panic("invalid transition [follower -> leader]") }
    r.stepForRole = stepLeader
    r.reset(term: r.term)
    r.lead = r.id
    r.state = .leader
    if let pr = r.trk.progress[r.id] {
        pr.becomeReplicate()
        pr.recentActive = true
    }
    r.pendingConfIndex = r.raftLog.lastIndex()
    if !r.appendEntry([Entry()]) { r.logger.panic("empty entry was dropped") }
    r.logger.info("\(hex(r.id)) became leader at term \(r.term)")
}
