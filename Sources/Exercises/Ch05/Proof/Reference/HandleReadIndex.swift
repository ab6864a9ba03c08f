import Raft

/// Exercise 5.2, the reference: the library's own code.
func handleReadIndex(_ r: RaftStateMachine, _ m: Message) {
    r.handleReadIndex(m)
}
