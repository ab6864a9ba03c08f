import Raft

/// Exercise 2.4, the reference: the library's own code.
func becomeLeader(_ r: RaftStateMachine) {
    r.becomeLeader()
}
