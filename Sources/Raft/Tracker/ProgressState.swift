/// How the leader currently replicates to one follower.
///
/// etcd: `tracker.StateType`.
public enum ProgressState: Sendable, Hashable, CustomStringConvertible {
    /// The follower's log position is unknown: send one append at a time and wait for the answer
    /// (or a heartbeat response) before sending the next.
    ///
    /// etcd: `StateProbe`.
    case probe
    /// The follower is keeping up: stream appends optimistically, bounded by the in-flight limits.
    ///
    /// etcd: `StateReplicate`.
    case replicate
    /// The follower needs a snapshot, which has been sent; send no appends until it is applied
    /// or reported failed.
    ///
    /// etcd: `StateSnapshot`.
    case snapshot

    /// etcd's names: `StateProbe`, `StateReplicate`, `StateSnapshot`.
    ///
    /// etcd: `StateType.String`.
    public var description: String {
        switch self {
        case .probe: "StateProbe"
        case .replicate: "StateReplicate"
        case .snapshot: "StateSnapshot"
        }
    }
}
