import Raft

/// Exercise 3.2, the reference: the library's own code.
func acceptReady(_ rn: RawNode, _ rd: Ready) {
    rn.acceptReady(rd)
}
