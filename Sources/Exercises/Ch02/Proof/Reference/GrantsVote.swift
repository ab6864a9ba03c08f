import Raft

/// Exercise 2.2, the reference: the library's own code.
func grantsVote(_ r: RaftStateMachine, _ m: Message) -> Bool {
    r.grantsVote(m)
}
