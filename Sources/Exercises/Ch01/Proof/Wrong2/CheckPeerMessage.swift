import Raft

// Wrong: refuses every message from a node outside the configuration, requests included, so a
// node just added (which does not know its configuration yet) refuses the leader's messages.
// Caught by: requests from a node outside the configuration pass
func checkPeerMessage(_ node: RawNode, _ m: Message) throws(RaftError) {
    if m.type.isLocal && !PeerID.isLocalTarget(m.from) { throw .stepLocalMsg }
    if !PeerID.isLocalTarget(m.from) && node.raft.trk.progress(of: m.from) == nil {
        throw .stepPeerNotFound
    }
    if m.term == 0 && m.type.isAlwaysSentWithTerm {
        throw .invalidMessage("\(m.type) from \(hex(m.from)) carries no term")
    }
}
