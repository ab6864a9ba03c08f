import Raft

/// Exercise 2.3, the reference: the library's own code.
func handleVoteResponse(_ r: RaftStateMachine, _ m: Message) {
    r.handleVoteResponse(m)
}
