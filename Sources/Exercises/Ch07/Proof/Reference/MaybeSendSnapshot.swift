import Raft

/// Exercise 7.1, the reference: the library's own code.
func maybeSendSnapshot(_ r: RaftStateMachine, _ to: UInt64, _ pr: Progress) -> Bool {
    r.maybeSendSnapshot(to, pr)
}
