/// A cluster membership as raft tracks it: the (possibly joint) voters, the learners, and the
/// learners waiting for the joint configuration to be left. `Status.config` reports it; the
/// form stored in snapshots is `ConfState`.
///
/// etcd: `tracker.Config`.
public struct MembershipConfig: Sendable, Hashable, CustomStringConvertible {
    /// The voters; joint while a membership change is in progress.
    ///
    /// etcd: `Config.Voters`.
    public var voters: JointConfig
    /// Whether raft leaves the joint configuration by itself once it is committed (rather
    /// than waiting for the application to propose leaving it). Only meaningful when joint.
    ///
    /// etcd: `Config.AutoLeave`.
    public var autoLeave: Bool
    /// Members that receive the log but do not vote. Never overlaps either half of `voters`:
    /// a node has exactly one role at a time.
    ///
    /// etcd: `Config.Learners`.
    public var learners: Set<UInt64>
    /// Voters of the outgoing configuration that become learners when the joint configuration
    /// is left. A demoted voter cannot be a learner while it still votes in the outgoing
    /// half, so the demotion waits here. Empty unless joint.
    ///
    /// etcd: `Config.LearnersNext`.
    public var learnersNext: Set<UInt64>

    /// A membership from its parts; by default the empty one.
    ///
    /// etcd: `tracker.Config{...}`.
    public init(
        voters: JointConfig = JointConfig(), autoLeave: Bool = false,
        learners: Set<UInt64> = [], learnersNext: Set<UInt64> = []
    ) {
        self.voters = voters
        self.autoLeave = autoLeave
        self.learners = learners
        self.learnersNext = learnersNext
    }

    /// etcd's form, e.g. `voters=(1 2 3)&&(1) learners=(4) learners_next=(5) autoleave`; empty
    /// learner sets and a false `autoLeave` are left out.
    ///
    /// etcd: `Config.String`.
    public var description: String {
        var out = "voters=\(voters)"
        if !learners.isEmpty { out += " learners=\(MajorityConfig(learners))" }
        if !learnersNext.isEmpty { out += " learners_next=\(MajorityConfig(learnersNext))" }
        if autoLeave { out += " autoleave" }
        return out
    }
}
