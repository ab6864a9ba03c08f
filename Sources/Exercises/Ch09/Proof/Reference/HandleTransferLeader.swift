import Raft

/// Exercise 9.1, the reference: the library's own code.
func handleTransferLeader(_ r: RaftStateMachine, _ m: Message, _ pr: Progress) {
    r.handleTransferLeader(m, pr)
}
