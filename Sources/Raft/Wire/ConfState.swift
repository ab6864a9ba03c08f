/// A cluster membership, as stored in snapshots and returned by applying a conf change.
///
/// In a joint configuration `votersOutgoing` holds the old voters and `voters` the new ones; a
/// decision then needs a majority of each.
///
/// etcd: `raftpb.ConfState`.
public struct ConfState: Sendable, Hashable {
    /// The voters of the incoming configuration (the only configuration when not joint).
    public var voters: [UInt64]
    /// The learners: they receive the log but do not vote.
    public var learners: [UInt64]
    /// The voters of the outgoing configuration; empty unless joint.
    public var votersOutgoing: [UInt64]
    /// Nodes that will become learners when the joint configuration is left; they stay voters
    /// of the outgoing configuration until then.
    public var learnersNext: [UInt64]
    /// Whether the joint configuration is left automatically once it is committed.
    public var autoLeave: Bool

    /// A membership; by default the empty one.
    public init(
        voters: [UInt64] = [], learners: [UInt64] = [], votersOutgoing: [UInt64] = [],
        learnersNext: [UInt64] = [], autoLeave: Bool = false
    ) {
        self.voters = voters
        self.learners = learners
        self.votersOutgoing = votersOutgoing
        self.learnersNext = learnersNext
        self.autoLeave = autoLeave
    }

    /// Whether both describe the same membership, ignoring the order of ids.
    ///
    /// etcd: `ConfState.Equivalent` (which returns an error describing the difference instead).
    public func isEquivalent(to other: ConfState) -> Bool {
        voters.sorted() == other.voters.sorted()
            && learners.sorted() == other.learners.sorted()
            && votersOutgoing.sorted() == other.votersOutgoing.sorted()
            && learnersNext.sorted() == other.learnersNext.sorted()
            && autoLeave == other.autoLeave
    }
}
