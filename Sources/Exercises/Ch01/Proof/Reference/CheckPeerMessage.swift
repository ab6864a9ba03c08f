import Raft

/// Exercise 1.1, the reference: the library's own code.
func checkPeerMessage(_ node: RawNode, _ m: Message) throws(RaftError) {
    try node.checkPeerMessage(m)
}
