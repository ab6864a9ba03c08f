/// A node's basic state, cheap to take: no progress map.
///
/// etcd: `BasicStatus`.
public struct BasicStatus: Sendable, Hashable {
    /// This node's id.
    public var id: UInt64
    /// The term, vote and commit index, as last persisted or about to be.
    public var hardState: HardState
    /// The leader this node knows of and its role.
    public var softState: SoftState
    /// The index of the last entry the application reported applied.
    public var applied: UInt64
    /// The node a leadership transfer is going to, or `PeerID.none`.
    public var leadTransferee: UInt64

    /// A status from its parts; raft builds them (`RawNode.basicStatus()`), tests may too.
    public init(id: UInt64 = 0, hardState: HardState = HardState(), softState: SoftState = SoftState(),
                applied: UInt64 = 0, leadTransferee: UInt64 = PeerID.none) {
        self.id = id
        self.hardState = hardState
        self.softState = softState
        self.applied = applied
        self.leadTransferee = leadTransferee
    }

    /// The current term (from `hardState`).
    public var term: UInt64 { hardState.term }
    /// Whom this node voted for in the current term, or `PeerID.none` (from `hardState`).
    public var vote: UInt64 { hardState.vote }
    /// The highest index known to be committed (from `hardState`).
    public var commit: UInt64 { hardState.commit }
    /// The leader this node knows of, or `PeerID.none` (from `softState`).
    public var lead: UInt64 { softState.lead }
    /// This node's role (from `softState`).
    public var raftState: StateType { softState.raftState }
}

/// A snapshot of one follower's replication progress, as the leader sees it (a copy: changing it
/// changes nothing in raft).
public struct ProgressStatus: Sendable, Hashable {
    /// The highest index known to match the leader's log on this follower.
    public var match: UInt64
    /// The index of the next entry the leader will send it.
    public var next: UInt64
    /// How the leader is replicating to it: probing, streaming, or sending a snapshot.
    public var state: ProgressState
    /// In `.snapshot`, the index of the snapshot being sent; otherwise 0.
    public var pendingSnapshot: UInt64
    /// Whether it was heard from since the last quorum check (with CheckQuorum).
    public var recentActive: Bool
    /// Whether it is a learner (receives the log, does not vote).
    public var isLearner: Bool
    /// How many append messages are in flight.
    public var inflight: Int
    /// Whether the leader holds back appends to it for now (probing and waiting for an answer,
    /// its in-flight window full, or a snapshot in flight).
    public var isPaused: Bool
}

/// A node's state as the application may inspect it: its hard and soft state, its configuration,
/// and, on the leader, every follower's progress.
///
/// etcd: `Status`.
public struct Status: Sendable, CustomStringConvertible {
    /// The node's id, hard and soft state, applied index and leadership transfer.
    public var basic: BasicStatus
    /// The membership this node is using (possibly joint).
    public var config: MembershipConfig
    /// Every member's progress; empty unless this node leads.
    public var progress: [UInt64: ProgressStatus]

    /// This node's id (from `basic`).
    public var id: UInt64 { basic.id }
    /// The term, vote and commit index (from `basic`).
    public var hardState: HardState { basic.hardState }
    /// The known leader and this node's role (from `basic`).
    public var softState: SoftState { basic.softState }
    /// The last applied index (from `basic`).
    public var applied: UInt64 { basic.applied }
    /// The target of a leadership transfer in progress, or `PeerID.none` (from `basic`).
    public var leadTransferee: UInt64 { basic.leadTransferee }

    /// etcd's JSON rendering of a status (ids in hex, progress only on the leader).
    public var description: String {
        var j = "{\"id\":\"\(hex(id))\",\"term\":\(hardState.term),\"vote\":\"\(hex(hardState.vote))\","
            + "\"commit\":\(hardState.commit),\"lead\":\"\(hex(softState.lead))\","
            + "\"raftState\":\"\(softState.raftState)\",\"applied\":\(applied),\"progress\":{"
        j += progress.sorted { $0.key < $1.key }.map { k, v in
            "\"\(hex(k))\":{\"match\":\(v.match),\"next\":\(v.next),\"state\":\"\(v.state)\"}"
        }.joined(separator: ",")
        j += "},\"leadtransferee\":\"\(hex(leadTransferee))\"}"
        return j
    }
}

extension ProgressStatus {
    package init(_ pr: Progress) {
        self.init(match: pr.match, next: pr.next, state: pr.state, pendingSnapshot: pr.pendingSnapshot,
                  recentActive: pr.recentActive, isLearner: pr.isLearner, inflight: pr.inflights.count,
                  isPaused: pr.isPaused)
    }
}
