/// Why raft refused a request, a message, or to start: the one error type of `RawNode` and `Node`.
///
/// The first four are etcd's errors, with etcd's texts. `invalidMessage` is ours: where etcd panics on
/// a message that contradicts the local log (a commit index beyond it, a conflict below the commit
/// point, a malformed conf change), we refuse the message with this error and keep running. The
/// others carry the error of the layer that failed, so that every call has one typed error.
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
    /// The configuration is invalid (etcd panics in `newRaft`).
    case config(ConfigError)
    /// Storage could not be read, or holds a state raft cannot start from.
    case storage(StorageError)
    /// A membership change, or the membership in storage, is invalid.
    case confChange(ConfChangeError)
    /// `bootstrap` (or `Node.start`) was refused.
    case bootstrap(BootstrapError)
    /// The calling task was cancelled while it waited (etcd: the context's error).
    case cancelled

    public var description: String {
        switch self {
        case .proposalDropped: "raft proposal dropped"
        case .stepLocalMsg: "raft: cannot step raft local message"
        case .stepPeerNotFound: "raft: cannot step as peer not found"
        case .stopped: "raft: stopped"
        case .invalidMessage(let reason): "raft: invalid message: \(reason)"
        case .config(let error): error.description
        case .storage(let error): error.description
        case .confChange(let error): error.description
        case .bootstrap(let error): error.description
        case .cancelled: "context canceled"
        }
    }
}
