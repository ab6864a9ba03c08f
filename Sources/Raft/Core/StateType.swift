/// The role a node plays in its cluster. The four roles of the articles: every node starts as a
/// follower; a follower whose election timer fires becomes a pre-candidate (with PreVote) or a
/// candidate; a candidate that wins a quorum of votes becomes the leader.
///
/// etcd: `StateType`.
public enum StateType: UInt8, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Follows a leader (or waits for one): answers its appends and votes in elections.
    case follower = 0
    /// Campaigns in a new term, asking the other voters for their votes.
    case candidate = 1
    /// Leads the term: takes proposals, replicates the log, decides what is committed.
    case leader = 2
    /// With PreVote: asks whether it could win before starting a new term, so that a node cut off
    /// from the cluster does not disrupt it by raising the term when it returns.
    case preCandidate = 3

    public var description: String {
        switch self {
        case .follower: "StateFollower"
        case .candidate: "StateCandidate"
        case .leader: "StateLeader"
        case .preCandidate: "StatePreCandidate"
        }
    }
}

/// The volatile part of a node's state that the application may want to watch (who leads, which
/// role this node has) but never needs to persist.
///
/// etcd: `SoftState`.
public struct SoftState: Sendable, Hashable, CustomStringConvertible {
    /// The leader this node knows of, or `PeerID.none`.
    public var lead: UInt64
    /// This node's role.
    public var raftState: StateType

    /// A soft state; by default a follower that knows no leader.
    public init(lead: UInt64 = PeerID.none, raftState: StateType = .follower) {
        self.lead = lead
        self.raftState = raftState
    }

    /// `Lead:1 State:StateLeader`.
    ///
    /// etcd: `DescribeSoftState`.
    public var description: String { "Lead:\(lead) State:\(raftState)" }
}

/// Why a campaign was started, which decides how it runs.
///
/// etcd: `CampaignType`.
package enum CampaignType: String {
    /// The first, non-disruptive phase of an election when PreVote is on.
    case preElection = "CampaignPreElection"
    /// A normal election (or its second phase under PreVote).
    case election = "CampaignElection"
    /// An election started on the leader's request during a leadership transfer; it skips
    /// PreVote and overrides followers' leader leases.
    case transfer = "CampaignTransfer"
}
