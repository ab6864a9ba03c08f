import Raft

/// Exercise 6.4, the reference: the library's own code.
func handleAppendRejection(_ r: RaftStateMachine, _ m: Message, _ pr: Progress) {
    r.handleAppendRejection(m, pr)
}
