import Raft

/// Chapter 1, the Node interface: what the application's entry points let through to raft.
public protocol Ch01Exercises: Sendable {
    /// Exercise 1.1, the step filter.
    ///
    /// `RawNode.step` is the door through which messages from the network come in. Before raft
    /// looks at a message, two gates may refuse it. Return the error `step` throws when a gate
    /// refuses the message, or nil when the message gets through the gates (whatever raft then
    /// makes of it).
    ///
    /// - Parameters:
    ///   - type: the message's type.
    ///   - sender: the message's `from`: a node id, or one of the local storage threads
    ///     (`PeerID.localAppendThread`, `PeerID.localApplyThread`).
    ///   - members: the ids in the node's configuration (voters and learners); the node itself is
    ///     node 1 and always a member.
    func stepRefusal(type: MessageType, from sender: UInt64, members: Set<UInt64>) -> RaftError?

    /// Exercise 1.2, the proposal gate.
    ///
    /// The application calls `RawNode.propose(data)` on a node in `situation`. Say what becomes of
    /// the proposal: appended to this node's log, forwarded to the leader, or dropped
    /// (`propose` throws `RaftError.proposalDropped`).
    func proposalFate(_ situation: ProposalSituation) -> ProposalFate
}

/// The state of the node a proposal is made on, as far as the proposal gate cares.
public enum ProposalSituation: Sendable, Hashable, CustomStringConvertible {
    /// A follower that may or may not know the leader of its term, configured with or without
    /// `Config.disableProposalForwarding`.
    case follower(leaderKnown: Bool, forwardingDisabled: Bool)
    /// A pre-candidate (PreVote): it asked whether it could win, and knows no leader.
    case preCandidate
    /// A candidate: it asked for votes in a new term, and knows no leader.
    case candidate
    /// A leader, possibly in the middle of handing leadership to another node, possibly with so
    /// many uncommitted bytes in its log that `Config.maxUncommittedEntriesSize` is reached.
    case leader(transferInProgress: Bool, uncommittedLimitReached: Bool)

    /// Every situation, for the property check.
    public static let all: [ProposalSituation] = {
        var all: [ProposalSituation] = [.preCandidate, .candidate]
        for a in [false, true] {
            for b in [false, true] {
                all.append(.follower(leaderKnown: a, forwardingDisabled: b))
                all.append(.leader(transferInProgress: a, uncommittedLimitReached: b))
            }
        }
        return all
    }()

    public var description: String {
        switch self {
        case .follower(let known, let disabled):
            ".follower(leaderKnown: \(known), forwardingDisabled: \(disabled))"
        case .preCandidate: ".preCandidate"
        case .candidate: ".candidate"
        case .leader(let transfer, let limit):
            ".leader(transferInProgress: \(transfer), uncommittedLimitReached: \(limit))"
        }
    }
}

/// What becomes of a proposal.
public enum ProposalFate: Sendable, Hashable, CustomStringConvertible {
    /// The node appends it to its own log (and will replicate it).
    case appended
    /// The node sends it on to the leader as a `msgProp`.
    case forwardedToLeader
    /// `propose` throws `RaftError.proposalDropped`; the application may retry later.
    case dropped

    public var description: String {
        switch self {
        case .appended: ".appended"
        case .forwardedToLeader: ".forwardedToLeader"
        case .dropped: ".dropped"
        }
    }
}
