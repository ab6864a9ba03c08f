/// Why raft refused a request or a message.
///
/// The first four are etcd's errors, with etcd's texts. `invalidMessage` is ours: where etcd panics on
/// a message that contradicts the local log (a commit index beyond it, a conflict below the commit
/// point, a malformed conf change), we refuse the message with this error and keep running.
public enum RaftError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The proposal was not accepted: no leader is known, forwarding is disabled, a leadership
    /// transfer is in progress, the uncommitted-size limit is reached, or this node was removed.
    /// The application should retry, possibly elsewhere.
    case proposalDropped
    /// A message type that only ever travels inside a node arrived from outside.
    case stepLocalMsg
    /// A response arrived from a node that is not in the configuration.
    case stepPeerNotFound
    /// The node has been stopped.
    case stopped
    /// A message that would corrupt the log if followed; the reason says what was wrong with it.
    case invalidMessage(String)

    public var description: String {
        switch self {
        case .proposalDropped: "raft proposal dropped"
        case .stepLocalMsg: "raft: cannot step raft local message"
        case .stepPeerNotFound: "raft: cannot step as peer not found"
        case .stopped: "raft: stopped"
        case .invalidMessage(let reason): "raft: invalid message: \(reason)"
        }
    }
}
