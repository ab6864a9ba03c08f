import Raft
import WorkbookChecks

/// Chapter 1, the Node interface: what the application's entry points let through to raft.
///
/// Solve the exercises below, then check them with `swift run workbook check 1`. The questions
/// are documented on `Ch01Exercises`; the checks, with their tables of expected answers, are in
/// `Sources/WorkbookChecks/Checks/Ch01Checks.swift`.
public struct Ch01: Ch01Exercises {
    public init() {}

    /// Exercise 1.1, the step filter: the error `RawNode.step` throws when one of its two gates
    /// refuses a message from the network, or nil when the message gets through.
    ///
    /// Hint (`swift run workbook hint 1.1`): Two gates, in this order. First: a message type that only
    /// ever travels inside a node (MessageType.isLocal) is refused with .stepLocalMsg unless it comes
    /// from one of the node's own storage threads (PeerID.isLocalTarget). Second: a response
    /// (MessageType.isResponse) from a sender outside the configuration is refused with
    /// .stepPeerNotFound, again unless the sender is a storage thread. Requests from strangers pass: a
    /// node outside the configuration may still be a new leader or candidate.
    public func stepRefusal(type: MessageType, from sender: UInt64, members: Set<UInt64>) -> RaftError? {
        // TODO(ch01): refuse local-only messages from the network, then responses from strangers.
        nil
    }

    /// Exercise 1.2, the proposal gate: whether a proposal is appended, forwarded to the leader,
    /// or dropped.
    ///
    /// Hint (`swift run workbook hint 1.2`): Only a leader appends, and a leader refuses new proposals
    /// while it is handing leadership over (the entries could be lost with the old term) or when its
    /// log already holds maxUncommittedEntriesSize bytes nobody has acknowledged. A follower forwards
    /// to the leader it knows, unless forwarding is disabled; with no leader known (followers that lost
    /// it, candidates, pre-candidates) there is nobody to take it. Node.propose differs on one point:
    /// it waits for a leader instead of dropping.
    public func proposalFate(_ situation: ProposalSituation) -> ProposalFate {
        // TODO(ch01): decide by role; a leader and a follower each have two reasons to drop.
        .dropped
    }
}
