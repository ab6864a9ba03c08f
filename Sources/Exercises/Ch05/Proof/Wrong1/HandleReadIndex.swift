import Raft

// Wrong: no shortcut for a single voter, so its reads wait for a heartbeat round that has nobody
// to answer it, and are never served.
// Caught by: a single voter answers at once at its commit index, even before it commits in its term
func handleReadIndex(_ r: RaftStateMachine, _ m: Message) {
    if !r.committedEntryInCurrentTerm() {
        r.pendingReadIndexMessages.append(m)
        return
    }
    r.readIndexResponse(m)
}
