import Raft

/// Chapter 8, membership change and joint consensus.
public protocol Ch08Exercises: Sendable {
    /// Exercise 8.1, the joint vote result.
    ///
    /// While membership moves from `outgoing` voters to `incoming` voters, every decision needs
    /// both. Given the votes so far (absent voters have not voted), say whether the election is
    /// won, lost or pending. Outside a change, `outgoing` is empty.
    func jointVoteResult(incoming: [UInt64], outgoing: [UInt64], votes: [UInt64: Bool]) -> VoteResult

    /// Exercise 8.2, validating a simple change.
    ///
    /// Apply `changes` directly (without a joint configuration) to a configuration of `voters`
    /// and `learners`, as `Changer.simple` does: return the new voters and learners (sorted), or
    /// the error that refuses the change.
    func simpleChange(voters: [UInt64], learners: [UInt64], changes: [ConfChangeSingle]) -> SimpleChangeOutcome
}

/// The result of a simple configuration change.
public enum SimpleChangeOutcome: Sendable, Hashable, CustomStringConvertible {
    /// The change is safe; this is the new configuration (ids ascending).
    case applied(voters: [UInt64], learners: [UInt64])
    /// The change is refused with this error (`ConfChangeError.moreThanOneVoterChanged`, ...).
    case refused(ConfChangeError)

    public var description: String {
        switch self {
        case .applied(let voters, let learners): ".applied(voters: \(voters), learners: \(learners))"
        case .refused(let error): ".refused(\"\(error)\")"
        }
    }
}

extension ConfChangeSingle {
    /// Make `id` a voter (adding it, or promoting a learner).
    public static func add(_ id: UInt64) -> ConfChangeSingle { ConfChangeSingle(type: .confChangeAddNode, nodeID: id) }
    /// Remove `id` from the configuration.
    public static func remove(_ id: UInt64) -> ConfChangeSingle { ConfChangeSingle(type: .confChangeRemoveNode, nodeID: id) }
    /// Make `id` a learner (adding it, or demoting a voter).
    public static func addLearner(_ id: UInt64) -> ConfChangeSingle {
        ConfChangeSingle(type: .confChangeAddLearnerNode, nodeID: id)
    }
    /// Change nothing in the configuration (the application may update the node's address).
    public static func update(_ id: UInt64) -> ConfChangeSingle { ConfChangeSingle(type: .confChangeUpdateNode, nodeID: id) }

    /// The change as written with the helpers above: `.add(4)`, `.remove(1)`, `.addLearner(3)`.
    var swiftText: String {
        switch type {
        case .confChangeAddNode: ".add(\(nodeID))"
        case .confChangeRemoveNode: ".remove(\(nodeID))"
        case .confChangeUpdateNode: ".update(\(nodeID))"
        case .confChangeAddLearnerNode: ".addLearner(\(nodeID))"
        }
    }
}

/// Changes as a Swift array literal: `[.add(4), .remove(1)]`.
func changeList(_ changes: [ConfChangeSingle]) -> String {
    "[" + changes.map(\.swiftText).joined(separator: ", ") + "]"
}
