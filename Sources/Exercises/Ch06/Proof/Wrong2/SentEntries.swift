import Raft

// Wrong: a probing follower is never paused, so the leader sends append after append to a
// follower whose log end it does not know, when one probe at a time is all it needs.
// Caught by: probing: an append that carries entries pauses until the follower answers; an empty one does not
func sentEntries(_ pr: Progress, _ entries: Int, _ bytes: UInt64) {
    switch pr.state {
    case .replicate:
        if entries > 0 {
            pr.next += UInt64(entries)
            pr.inflights.add(pr.next - 1, bytes: bytes)
        }
        pr.msgAppFlowPaused = pr.inflights.full
    case .probe, .snapshot:
        break
    }
}
