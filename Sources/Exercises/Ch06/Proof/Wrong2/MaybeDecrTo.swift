import Raft

// Wrong: while probing, every rejection moves next, even one that answers an older append than
// the last probe sent (a duplicate or a late message), which sends the leader back for nothing.
// Caught by: probing: a rejection of anything but the last append sent is stale
func maybeDecrTo(_ pr: Progress, rejected: UInt64, matchHint: UInt64) -> Bool {
    if pr.state == .replicate {
        if rejected <= pr.match { return false }
        pr.next = pr.match + 1
        pr.sentCommit = min(pr.sentCommit, pr.next - 1)
        return true
    }
    pr.next = max(min(rejected, matchHint + 1), pr.match + 1)
    pr.sentCommit = min(pr.sentCommit, pr.next - 1)
    pr.msgAppFlowPaused = false
    return true
}
