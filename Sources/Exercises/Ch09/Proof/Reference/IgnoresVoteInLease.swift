import Raft

/// Exercise 9.2, the reference: the library's own code.
func ignoresVoteInLease(_ r: RaftStateMachine, _ m: Message) -> Bool {
    r.ignoresVoteInLease(m)
}
