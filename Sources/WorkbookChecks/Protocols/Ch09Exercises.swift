import Raft

/// Chapter 9, leader transfer.
public protocol Ch09Exercises: Sendable {
    /// Exercise 9.1, the transfer decision.
    ///
    /// A leader receives a request to hand leadership to `situation.transferee`. Say what it
    /// does: ignore the request, tell the transferee to campaign now (`msgTimeoutNow`), or first
    /// bring the transferee's log up to date (and send `msgTimeoutNow` once it is).
    func transferDecision(_ situation: TransferSituation) -> TransferDecision

    /// Exercise 9.2, the lease and the transfer campaign.
    ///
    /// A follower receives a vote (or pre-vote) request for a term higher than its own, from an
    /// up-to-date candidate. Say whether it answers the request at all (granting or rejecting it)
    /// or ignores it outright.
    func answersVoteRequest(_ situation: LeaseSituation) -> Bool
}

/// A leader and a leadership transfer request.
public struct TransferSituation: Sendable, Hashable, CustomStringConvertible {
    /// The leader's id; a voter.
    public var leader: UInt64
    /// The voters (the leader included).
    public var voters: [UInt64]
    /// The learners.
    public var learners: [UInt64]
    /// The index of the leader's last entry.
    public var lastIndex: UInt64
    /// The node leadership should go to (any id: a voter, a learner, a stranger, the leader).
    public var transferee: UInt64
    /// The highest index the transferee is known to hold (0 for anything but a member).
    public var transfereeMatch: UInt64
    /// The transferee of a transfer already in progress, or `PeerID.none`.
    public var inProgress: UInt64

    public init(
        leader: UInt64 = 1, voters: [UInt64] = [1, 2, 3], learners: [UInt64] = [4], lastIndex: UInt64,
        transferee: UInt64, transfereeMatch: UInt64, inProgress: UInt64 = PeerID.none
    ) {
        self.leader = leader
        self.voters = voters
        self.learners = learners
        self.lastIndex = lastIndex
        self.transferee = transferee
        self.transfereeMatch = transfereeMatch
        self.inProgress = inProgress
    }

    public var description: String {
        "TransferSituation(leader: \(leader), voters: \(voters), learners: \(learners), lastIndex: \(lastIndex), "
            + "transferee: \(transferee), transfereeMatch: \(transfereeMatch), inProgress: \(inProgress))"
    }
}

/// What a leader does with a transfer request.
public enum TransferDecision: Sendable, Hashable, CustomStringConvertible {
    /// Nothing: the request makes no sense, or is already being carried out.
    case ignore
    /// Sends `msgTimeoutNow`: the transferee campaigns at once.
    case sendTimeoutNow
    /// Records the transfer, and sends the transferee the entries it lacks first.
    case catchUpFirst

    public var description: String {
        switch self {
        case .ignore: ".ignore"
        case .sendTimeoutNow: ".sendTimeoutNow"
        case .catchUpFirst: ".catchUpFirst"
        }
    }
}

/// A follower receiving a vote request for a higher term.
public struct LeaseSituation: Sendable, Hashable, CustomStringConvertible {
    /// Whether the follower runs with `Config.checkQuorum`.
    public var checkQuorum: Bool
    /// Whether it knows a leader of its current term.
    public var leaderKnown: Bool
    /// Ticks since it last heard from that leader (or since it became follower).
    public var ticksSinceLeader: Int
    /// Its `Config.electionTick`.
    public var electionTimeout: Int
    /// The request's kind.
    public var kind: VoteKind
    /// Whether the candidate campaigns because a leader told it to (`msgTimeoutNow`): its
    /// request then carries the transfer campaign context.
    public var transfer: Bool

    public init(checkQuorum: Bool, leaderKnown: Bool, ticksSinceLeader: Int, electionTimeout: Int = 10,
                kind: VoteKind = .vote, transfer: Bool = false) {
        self.checkQuorum = checkQuorum
        self.leaderKnown = leaderKnown
        self.ticksSinceLeader = ticksSinceLeader
        self.electionTimeout = electionTimeout
        self.kind = kind
        self.transfer = transfer
    }

    public var description: String {
        "LeaseSituation(checkQuorum: \(checkQuorum), leaderKnown: \(leaderKnown), ticksSinceLeader: \(ticksSinceLeader), "
            + "electionTimeout: \(electionTimeout), kind: \(kind), transfer: \(transfer))"
    }
}
