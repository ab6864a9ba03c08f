import Raft

// Wrong: ignores the term in the follower's hint and probes right after the hinted index, even
// where our own log shows that our entries there have a later term and cannot match: each such
// probe costs one more rejection and round trip.
// Caught by: a rejection with the follower's term skips every entry of ours that cannot match
func handleAppendRejection(_ r: RaftStateMachine, _ m: Message, _ pr: Progress) {
    r.logger.debug("\(hex(r.id)) received MsgAppResp(rejected, hint: (index \(m.rejectHint), term \(m.logTerm))) "
        + "from \(hex(m.from)) for index \(m.index)")
    if pr.maybeDecrTo(rejected: m.index, matchHint: m.rejectHint) {
        r.logger.debug("\(hex(r.id)) decreased progress of \(hex(m.from)) to [\(pr)]")
        if pr.state == .replicate { pr.becomeProbe() }
        r.sendAppend(m.from)
    }
}
