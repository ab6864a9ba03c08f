/// Two majority configurations that must both agree: the configuration used while membership
/// moves from the old voters (`outgoing`) to the new ones (`incoming`), so that no decision can be
/// taken by the new voters alone before they have taken over (joint consensus, Raft thesis 4.3).
/// Outside a membership change `outgoing` is empty and the joint configuration is simply
/// `incoming`.
///
/// etcd: `quorum.JointConfig` (`incoming` is etcd's `[0]`, `outgoing` its `[1]`).
public struct JointConfig: Sendable, Hashable, CustomStringConvertible {
    /// The configuration being moved to, and the only one when not joint.
    ///
    /// etcd: `JointConfig[0]`.
    public var incoming: MajorityConfig
    /// The configuration being moved away from; empty unless joint.
    ///
    /// etcd: `JointConfig[1]`.
    public var outgoing: MajorityConfig

    /// A configuration from its two halves.
    ///
    /// etcd: `quorum.JointConfig{incoming, outgoing}`.
    public init(incoming: MajorityConfig = [], outgoing: MajorityConfig = []) {
        self.incoming = incoming
        self.outgoing = outgoing
    }

    /// `(1 2 3)&&(1)` when joint (incoming first), otherwise just the incoming part `(1 2 3)`.
    ///
    /// etcd: `JointConfig.String`.
    public var description: String {
        outgoing.isEmpty ? incoming.description : incoming.description + "&&" + outgoing.description
    }

    /// Every voter of either half.
    ///
    /// etcd: `JointConfig.IDs`.
    public var ids: Set<UInt64> {
        var all = Set(incoming)
        all.formUnion(outgoing)
        return all
    }

    /// The acknowledged-index table over all voters of both halves.
    ///
    /// etcd: `JointConfig.Describe`.
    package func describe(_ l: some AckedIndexer) -> String {
        MajorityConfig(ids).describe(l)
    }

    /// The highest index committed in both halves: the smaller of the two halves' indexes.
    ///
    /// etcd: `JointConfig.CommittedIndex`.
    package func committedIndex(_ l: some AckedIndexer) -> UInt64 {
        committedIndex { $0.committedIndex(l) }
    }

    /// The joint rule over a given majority rule (the learner's, in the workbook).
    @inline(__always)
    package func committedIndex(majority: (MajorityConfig) -> UInt64) -> UInt64 {
        min(majority(incoming), majority(outgoing))
    }

    /// The election result when both halves must win: a loss in either half loses, a win needs
    /// both, anything else is pending.
    ///
    /// etcd: `JointConfig.VoteResult`.
    package func voteResult(_ votes: [UInt64: Bool]) -> VoteResult {
        voteResult(votes) { $0.voteResult(votes) }
    }

    /// The joint rule over a given majority rule (the learner's, in the workbook).
    package func voteResult(_ votes: [UInt64: Bool], majority: (MajorityConfig) -> VoteResult) -> VoteResult {
        let first = majority(incoming)
        let second = majority(outgoing)
        if first == second { return first }
        if first == .voteLost || second == .voteLost { return .voteLost }
        return .votePending
    }
}
