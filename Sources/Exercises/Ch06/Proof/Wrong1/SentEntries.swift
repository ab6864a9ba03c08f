import Raft

// Wrong: a replicating follower's next moves on, but the append is not recorded in the in-flight
// window, which therefore never fills: no flow control at all.
// Caught by: replicating: next moves past the entries sent and the window records the append
func sentEntries(_ pr: Progress, _ entries: Int, _ bytes: UInt64) {
    switch pr.state {
    case .replicate:
        pr.next += UInt64(entries)
        pr.msgAppFlowPaused = pr.inflights.full
    case .probe:
        if entries > 0 { pr.msgAppFlowPaused = true }
    case .snapshot:
        break
    }
}
