import Raft

/// Chapter 2, Raft roles: how a candidate counts its votes, and when a node grants one.
public protocol Ch02Exercises: Sendable {
    /// Exercise 2.1, tallying votes.
    ///
    /// A candidate records the vote responses it receives, in arrival order, and after each one
    /// asks where the election stands. Count the granted and rejected votes that count, and say
    /// whether the election is won, lost, or still pending.
    ///
    /// - Parameters:
    ///   - voters: the voters of the configuration (not joint); never empty.
    ///   - learners: the learners (never voters at the same time).
    ///   - votes: the responses received so far, oldest first; any node may have answered.
    func tally(voters: [UInt64], learners: [UInt64], votes: [Vote]) -> VoteTally

    /// Exercise 2.2, the vote-granting rule.
    ///
    /// A follower receives a vote (or pre-vote) request. Say whether it grants it. The follower
    /// runs without CheckQuorum, so no leader lease gets in the way (chapter 9 adds it).
    func grantsVote(voter: VoterState, request: VoteRequest) -> Bool
}

/// One vote response: who answered, and whether it granted the vote.
public struct Vote: Sendable, Hashable, CustomStringConvertible {
    public var from: UInt64
    public var granted: Bool

    public init(from: UInt64, granted: Bool) {
        self.from = from
        self.granted = granted
    }

    /// A granted vote from `id`.
    public static func yes(_ id: UInt64) -> Vote { Vote(from: id, granted: true) }
    /// A rejected vote from `id`.
    public static func no(_ id: UInt64) -> Vote { Vote(from: id, granted: false) }

    public var description: String { granted ? ".yes(\(from))" : ".no(\(from))" }
}

/// Where an election stands: the votes that count, and the verdict.
public struct VoteTally: Sendable, Hashable, CustomStringConvertible {
    public var granted: Int
    public var rejected: Int
    public var result: VoteResult

    public init(granted: Int, rejected: Int, result: VoteResult) {
        self.granted = granted
        self.rejected = rejected
        self.result = result
    }

    public var description: String { "(granted: \(granted), rejected: \(rejected), \(result))" }
}

/// The kind of a vote request.
public enum VoteKind: Sendable, Hashable, CustomStringConvertible {
    /// `msgVote`: a candidate asks for a vote in its (new) term.
    case vote
    /// `msgPreVote`: a pre-candidate asks whether it would get a vote in the term it would
    /// campaign in, without anyone changing term.
    case preVote

    public var description: String { self == .vote ? ".vote" : ".preVote" }
}

/// What the follower knows when a request arrives.
///
/// Invariant: `lastLog.term <= term`, and `lastLog.index == 0` exactly when `lastLog.term == 0`.
public struct VoterState: Sendable, Hashable, CustomStringConvertible {
    /// The follower's current term.
    public var term: UInt64
    /// Whom it voted for in `term` (`PeerID.none`: nobody yet).
    public var vote: UInt64
    /// The leader of `term` it has heard from (`PeerID.none`: none).
    public var lead: UInt64
    /// The last entry of its log.
    public var lastLog: EntryID

    public init(term: UInt64, vote: UInt64 = PeerID.none, lead: UInt64 = PeerID.none, lastLog: EntryID) {
        self.term = term
        self.vote = vote
        self.lead = lead
        self.lastLog = lastLog
    }

    public var description: String {
        "VoterState(term: \(term), vote: \(vote), lead: \(lead), lastLog: \(lastLog))"
    }
}

/// A vote request as it arrives.
public struct VoteRequest: Sendable, Hashable, CustomStringConvertible {
    public var kind: VoteKind
    /// The candidate.
    public var from: UInt64
    /// The term the request is about: the candidate's new term, or for a pre-vote the term it
    /// would campaign in.
    public var term: UInt64
    /// The last entry of the candidate's log.
    public var lastLog: EntryID

    public init(_ kind: VoteKind, from: UInt64, term: UInt64, lastLog: EntryID) {
        self.kind = kind
        self.from = from
        self.term = term
        self.lastLog = lastLog
    }

    public var description: String {
        "VoteRequest(\(kind), from: \(from), term: \(term), lastLog: \(lastLog))"
    }
}
