import Raft

// Wrong: pendingConfIndex is left at 0 (reset's value), so the new leader accepts a conf change
// while one from the previous term may still sit unapplied in its log.
// Caught by: a new leader assumes a conf change may be pending up to its last index
func becomeLeader(_ r: RaftStateMachine) {
    if r.state == .follower { r.logger.panic("invalid transition [follower -> leader]") }
    r.stepForRole = stepLeader
    r.reset(term: r.term)
    r.tickForRole = { $0.tickHeartbeat() }
    r.lead = r.id
    r.state = .leader
    if let pr = r.trk.progress[r.id] {
        pr.becomeReplicate()
        pr.recentActive = true
    }
    if !r.appendEntry([Entry()]) { r.logger.panic("empty entry was dropped") }
    r.logger.info("\(hex(r.id)) became leader at term \(r.term)")
}
