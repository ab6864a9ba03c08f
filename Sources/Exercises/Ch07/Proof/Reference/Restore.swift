import Raft

/// Exercise 7.2, the reference: the library's own code.
func restore(_ r: RaftStateMachine, _ s: Snapshot) throws(RaftError) -> Bool {
    try r.restore(s)
}
