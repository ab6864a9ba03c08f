import Raft

// Wrong: the leader does not count its own acknowledgement, so a read needs a quorum among the
// followers alone (in a cluster of three, with one follower down, it is never answered).
// Caught by: the leader's own acknowledgement counts toward the quorum
func sendReadIndexResponse(_ r: RaftStateMachine, _ m: Message) {
    switch r.readOnly.option {
    case .safe:
        r.readOnly.addRequest(r.raftLog.committed, m)
        r.bcastHeartbeat(context: m.entries.first?.data ?? [])
    case .leaseBased:
        if let resp = r.responseToReadIndexReq(m, readIndex: r.raftLog.committed) { r.send(resp) }
    }
}
