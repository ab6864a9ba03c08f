import Raft

// Wrong: asks whether the leader's last entry (its empty entry, appended on election) is of its
// term, instead of its last committed entry: a new leader answers reads at a commit index that
// may miss writes the previous leader committed and acknowledged.
// Caught by: a leader that has not committed an entry of its term holds the read
func handleReadIndex(_ r: RaftStateMachine, _ m: Message) {
    if r.trk.isSingleton() {
        if let resp = r.responseToReadIndexReq(m, readIndex: r.raftLog.committed) { r.send(resp) }
        return
    }
    if r.raftLog.lastTerm() != r.term {
        r.pendingReadIndexMessages.append(m)
        return
    }
    r.readIndexResponse(m)
}
