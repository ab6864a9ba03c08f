import Raft

// Wrong: ignores the follower's hint and steps back one index per rejection (the paper's simple
// rule): correct in the end, but a follower far behind costs one round trip per entry.
// Caught by: probing: next falls to the hint + 1 (or the rejected index, if lower), never below match + 1, and sending resumes
func maybeDecrTo(_ pr: Progress, rejected: UInt64, matchHint: UInt64) -> Bool {
    if pr.state == .replicate {
        if rejected <= pr.match { return false }
        pr.next = pr.match + 1
        pr.sentCommit = min(pr.sentCommit, pr.next - 1)
        return true
    }
    if pr.next - 1 != rejected { return false }
    pr.next = max(rejected, pr.match + 1)
    pr.sentCommit = min(pr.sentCommit, pr.next - 1)
    pr.msgAppFlowPaused = false
    return true
}
