import Raft

/// Exercise 1.2, the reference: the library's own code.
func observeLeader(_ loop: inout NodeLoop, _ r: RaftStateMachine) -> Bool {
    loop.observeLeader(r)
}
