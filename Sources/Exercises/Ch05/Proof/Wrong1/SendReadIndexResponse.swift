import Raft

// Wrong: answers at once in safe mode too, as under a lease: no heartbeat round confirms that
// the node still leads, so a deposed leader that does not know it yet serves stale reads.
// Caught by: in safe mode the read waits for a heartbeat round that carries its context
func sendReadIndexResponse(_ r: RaftStateMachine, _ m: Message) {
    if let resp = r.responseToReadIndexReq(m, readIndex: r.raftLog.committed) { r.send(resp) }
}
