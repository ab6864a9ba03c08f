/// A node's basic state, cheap to take: no progress map.
///
/// etcd: `BasicStatus`.
public struct BasicStatus: Sendable, Hashable {
    public var id: UInt64
    public var hardState: HardState
    public var softState: SoftState
    public var applied: UInt64
    /// The node a leadership transfer is going to, or `PeerID.none`.
    public var leadTransferee: UInt64

    public init(id: UInt64 = 0, hardState: HardState = HardState(), softState: SoftState = SoftState(),
                applied: UInt64 = 0, leadTransferee: UInt64 = PeerID.none) {
        self.id = id
        self.hardState = hardState
        self.softState = softState
        self.applied = applied
        self.leadTransferee = leadTransferee
    }

    public var term: UInt64 { hardState.term }
    public var vote: UInt64 { hardState.vote }
    public var commit: UInt64 { hardState.commit }
    public var lead: UInt64 { softState.lead }
    public var raftState: StateType { softState.raftState }
}

/// A snapshot of one follower's replication progress, as the leader sees it (a copy: changing it
/// changes nothing in raft).
public struct ProgressStatus: Sendable, Hashable {
    public var match: UInt64
    public var next: UInt64
    public var state: ProgressState
    public var pendingSnapshot: UInt64
    public var recentActive: Bool
    public var isLearner: Bool
    /// How many append messages are in flight.
    public var inflight: Int
    public var isPaused: Bool
}

/// A node's state as the application may inspect it: its hard and soft state, its configuration,
/// and, on the leader, every follower's progress.
///
/// etcd: `Status`.
public struct Status: Sendable, CustomStringConvertible {
    public var basic: BasicStatus
    public var config: MembershipConfig
    /// Every member's progress; empty unless this node leads.
    public var progress: [UInt64: ProgressStatus]

    public var id: UInt64 { basic.id }
    public var hardState: HardState { basic.hardState }
    public var softState: SoftState { basic.softState }
    public var applied: UInt64 { basic.applied }
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
