/// A cluster membership, as stored in snapshots and returned by applying a conf change.
///
/// In a joint configuration `votersOutgoing` holds the old voters and `voters` the new ones; a
/// decision then needs a majority of each.
///
/// `autoLeave` is an optional protobuf field: `autoLeaveIfSet` keeps whether it was set, which
/// shows in its text form (`protoText`). The tracker sets it on every membership it reports, as
/// etcd's does; a membership written by hand (a bootstrap snapshot) may leave it out.
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
    /// `autoLeave` as it was set, `nil` when the membership was built without it.
    public var autoLeaveIfSet: Bool?

    /// Whether the joint configuration is left automatically once it is committed; false when
    /// unset. Setting it marks it as set.
    ///
    /// etcd: `ConfState.GetAutoLeave`.
    public var autoLeave: Bool {
        get { autoLeaveIfSet ?? false }
        set { autoLeaveIfSet = newValue }
    }

    /// A membership; by default the empty one.
    public init(
        voters: [UInt64] = [], learners: [UInt64] = [], votersOutgoing: [UInt64] = [],
        learnersNext: [UInt64] = [], autoLeave: Bool? = nil
    ) {
        self.voters = voters
        self.learners = learners
        self.votersOutgoing = votersOutgoing
        self.learnersNext = learnersNext
        self.autoLeaveIfSet = autoLeave
    }

    /// Equal when they read the same, whether or not `autoLeave` was set.
    public static func == (a: ConfState, b: ConfState) -> Bool {
        a.voters == b.voters && a.learners == b.learners && a.votersOutgoing == b.votersOutgoing
            && a.learnersNext == b.learnersNext && a.autoLeave == b.autoLeave
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(voters)
        hasher.combine(learners)
        hasher.combine(votersOutgoing)
        hasher.combine(learnersNext)
        hasher.combine(autoLeave)
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
