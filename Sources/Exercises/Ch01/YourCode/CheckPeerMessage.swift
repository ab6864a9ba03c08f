import ExerciseSupport
import Raft

/// Exercise 1.1: what `RawNode.step` refuses from the network before raft sees it.
///
/// Write what `RawNode.checkPeerMessage` does (Chapter 1, "Step: only messages from the
/// network"). `RawNode.step` calls your function on every message another node (or, with
/// asynchronous storage writes, one of this node's own storage threads) hands to `node`, and
/// steps the message into raft only if you do not throw.
///
/// Throw, in this order of precedence:
/// - `RaftError.stepLocalMsg` for a message type that only ever travels inside a node, unless it
///   comes from one of this node's local storage threads (the append thread and the apply
///   thread send their receipts that way);
/// - `RaftError.stepPeerNotFound` for a response from a node outside the configuration (there is
///   no progress to update for it); the storage threads again excepted;
/// - `RaftError.invalidMessage("\(m.type) from \(hex(m.from)) carries no term")` for a message
///   of a kind that is always sent with the sender's term, arriving with term 0 (our addition
///   to etcd: such a message is forged or corrupt).
///
/// Everything else passes: requests from nodes outside the configuration included (a new member
/// learns its configuration from the leader's messages), and proposals, which travel without a
/// term.
///
/// Useful: `m.type.isLocal`, `m.type.isResponse`, `m.type.isAlwaysSentWithTerm`,
/// `PeerID.isLocalTarget(_:)`, `node.raft.trk.progress(of:)`, `hex(_:)`.
///
/// Check it: `swift run workbook check 1`. Stuck: `swift run workbook hint 1.1`.
func checkPeerMessage(_ node: RawNode, _ m: Message) throws(RaftError) {
    todo()
}
