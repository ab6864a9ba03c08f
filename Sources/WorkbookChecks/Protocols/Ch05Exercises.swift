import Raft

/// Chapter 5, ReadIndex: linearizable reads without writing to the log.
public protocol Ch05Exercises: Sendable {
    /// Exercise 5.1, acknowledgement counting.
    ///
    /// A leader (node 1) in `.safe` mode queues read requests, oldest first, each with the commit
    /// index it had when the read arrived and the set of nodes that acknowledged a heartbeat
    /// carrying the read's context (the leader's own acknowledgement included). Now `from`
    /// acknowledges `context`. Record the acknowledgement, and release the reads it confirms.
    ///
    /// - Precondition: no pending read already has a quorum of acknowledgements (it would have
    ///   been released), and contexts are unique.
    func receiveHeartbeatAck(voters: [UInt64], pending: [PendingRead], from: UInt64, context: String) -> ReadAckResult

    /// Exercise 5.2, when a read may be served.
    ///
    /// The application calls `RawNode.readIndex(context)` on a node in `situation`. Say what the
    /// node does with the request.
    func readDecision(_ situation: ReadSituation) -> ReadDecision
}

/// A read request waiting in the leader's queue.
public struct PendingRead: Sendable, Hashable, CustomStringConvertible {
    /// The request's context (its identity).
    public var context: String
    /// The leader's commit index when the request arrived: the read must see at least this.
    public var index: UInt64
    /// Who acknowledged a heartbeat carrying this context.
    public var acks: Set<UInt64>

    public init(_ context: String, index: UInt64, acks: Set<UInt64>) {
        self.context = context
        self.index = index
        self.acks = acks
    }

    public var description: String {
        "PendingRead(\"\(context)\", index: \(index), acks: \(acks.sorted()))"
    }
}

/// A read the leader may now answer: the application serves it once it has applied `index`.
public struct ReleasedRead: Sendable, Hashable, CustomStringConvertible {
    public var context: String
    public var index: UInt64

    public init(_ context: String, index: UInt64) {
        self.context = context
        self.index = index
    }

    public var description: String { "ReleasedRead(\"\(context)\", index: \(index))" }
}

/// The reads an acknowledgement released (oldest first) and the queue left behind.
public struct ReadAckResult: Sendable, Hashable, CustomStringConvertible {
    public var released: [ReleasedRead]
    public var pending: [PendingRead]

    public init(released: [ReleasedRead], pending: [PendingRead]) {
        self.released = released
        self.pending = pending
    }

    public var description: String { "(released: \(released), pending: \(pending))" }
}

/// The node a read request is made on.
public enum ReadSituation: Sendable, Hashable, CustomStringConvertible {
    /// A follower that may or may not know the leader of its term.
    case follower(leaderKnown: Bool)
    /// A candidate in the middle of an election.
    case candidate
    /// A leader of a cluster of `voters` voters, which may or may not have committed an entry of
    /// its own term yet, configured with `ReadOnlyOption.leaseBased` or `.safe`.
    case leader(voters: Int, committedInCurrentTerm: Bool, leaseBased: Bool)

    /// Every situation, for the property check.
    public static let all: [ReadSituation] = {
        var all: [ReadSituation] = [.follower(leaderKnown: false), .follower(leaderKnown: true), .candidate]
        for voters in [1, 3, 5] {
            for committed in [false, true] {
                for lease in [false, true] {
                    all.append(.leader(voters: voters, committedInCurrentTerm: committed, leaseBased: lease))
                }
            }
        }
        return all
    }()

    public var description: String {
        switch self {
        case .follower(let known): ".follower(leaderKnown: \(known))"
        case .candidate: ".candidate"
        case .leader(let voters, let committed, let lease):
            ".leader(voters: \(voters), committedInCurrentTerm: \(committed), leaseBased: \(lease))"
        }
    }
}

/// What a node does with a read request.
public enum ReadDecision: Sendable, Hashable, CustomStringConvertible {
    /// Answers right away with its commit index (a `ReadState` in the next Ready).
    case answerNow
    /// Queues the read and broadcasts a heartbeat carrying its context; a quorum of
    /// acknowledgements will release it (exercise 5.1).
    case confirmWithHeartbeats
    /// Holds the read until it has committed an entry of its own term, then handles it.
    case waitForFirstCommit
    /// Sends it to the leader as a `msgReadIndex`.
    case forwardToLeader
    /// Drops it: nothing comes of it.
    case drop

    public var description: String {
        switch self {
        case .answerNow: ".answerNow"
        case .confirmWithHeartbeats: ".confirmWithHeartbeats"
        case .waitForFirstCommit: ".waitForFirstCommit"
        case .forwardToLeader: ".forwardToLeader"
        case .drop: ".drop"
        }
    }
}
