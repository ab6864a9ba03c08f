import Raft

/// Exercise 5.3, the reference: the library's own code.
func sendReadIndexResponse(_ r: RaftStateMachine, _ m: Message) {
    r.sendReadIndexResponse(m)
}
