import Raft

// Wrong: every local message type is refused, even from this node's own storage threads, so
// under asynchronous storage writes raft never hears that its entries are written or applied.
// Caught by: this node's storage threads may send their local messages
func checkPeerMessage(_ node: RawNode, _ m: Message) throws(RaftError) {
    if m.type.isLocal { throw .stepLocalMsg }
    if m.type.isResponse && !PeerID.isLocalTarget(m.from) && node.raft.trk.progress(of: m.from) == nil {
        throw .stepPeerNotFound
    }
    if m.term == 0 && m.type.isAlwaysSentWithTerm {
        throw .invalidMessage("\(m.type) from \(hex(m.from)) carries no term")
    }
}
