import Raft

// Wrong: a replicating follower that rejects stays in replicate: the leader keeps streaming
// appends optimistically to a follower whose log end it no longer knows.
// Caught by: a replicating follower that rejects goes back to probing and gets a probe at once
func handleAppendRejection(_ r: RaftStateMachine, _ m: Message, _ pr: Progress) {
    r.logger.debug("\(hex(r.id)) received MsgAppResp(rejected, hint: (index \(m.rejectHint), term \(m.logTerm))) "
        + "from \(hex(m.from)) for index \(m.index)")
    var nextProbeIdx = m.rejectHint
    if m.logTerm > 0 {
        nextProbeIdx = r.raftLog.findConflictByTerm(index: m.rejectHint, term: m.logTerm).index
    }
    if pr.maybeDecrTo(rejected: m.index, matchHint: nextProbeIdx) {
        r.logger.debug("\(hex(r.id)) decreased progress of \(hex(m.from)) to [\(pr)]")
        r.sendAppend(m.from)
    }
}
