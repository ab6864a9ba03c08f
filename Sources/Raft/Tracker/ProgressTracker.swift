/// The leader's view of the cluster: the current membership, each member's replication progress,
/// and the votes of the election in progress. Answers the questions raft asks of them together:
/// what is committed, did we win the election, is a quorum still active.
///
/// Not `Sendable`: it holds `Progress` objects, which are mutated in place. A tracker belongs to
/// one raft state machine.
///
/// `package`, not public: raft's machinery (an application reads `Status`); RaftTesting, the
/// tests and exercises Ch07-Ch08 use it.
///
/// etcd: `tracker.ProgressTracker`.
package struct ProgressTracker {
    /// The membership type under the name etcd gives it (`tracker.Config`); package as
    /// `MembershipConfig` because `Status` shows it.
    package typealias Config = MembershipConfig

    /// The current membership.
    ///
    /// etcd: the embedded `ProgressTracker.Config`.
    package var config: Config
    /// The progress of every voter and learner, by node id.
    ///
    /// etcd: `ProgressTracker.Progress`.
    package var progress: ProgressMap {
        didSet { sortedProgress = Self.sortedByID(progress) }
    }
    /// The same progresses (the same objects) as pairs in ascending id order, rebuilt whenever the
    /// map is assigned or changed, that is on membership changes only. `visit` walks it instead of
    /// sorting the ids on every broadcast, and `progress(of:)` searches it instead of hashing the
    /// id for every message: with a handful of members a few comparisons cost much less than a
    /// hash (Notes/performance.md).
    private(set) var sortedProgress: [(id: UInt64, progress: Progress)]
    /// The votes received in the current election, by voter id (true: granted).
    ///
    /// etcd: `ProgressTracker.Votes`.
    package var votes: [UInt64: Bool]
    /// The in-flight message limit given to new progresses.
    ///
    /// etcd: `ProgressTracker.MaxInflight`.
    package var maxInflight: Int
    /// The in-flight byte limit given to new progresses (0: unlimited).
    ///
    /// etcd: `ProgressTracker.MaxInflightBytes`.
    package var maxInflightBytes: UInt64

    /// An empty tracker whose progresses will allow `maxInflight` messages and `maxBytes` bytes
    /// (0: unlimited) in flight.
    ///
    /// etcd: `MakeProgressTracker`.
    package init(maxInflight: Int, maxBytes: UInt64) {
        config = Config()
        progress = [:]
        sortedProgress = []
        votes = [:]
        self.maxInflight = maxInflight
        maxInflightBytes = maxBytes
    }

    /// The membership in the form stored in snapshots and returned to the application; ids
    /// sorted.
    ///
    /// etcd: `ProgressTracker.ConfState`.
    package func confState() -> ConfState {
        ConfState(
            voters: config.voters.incoming.sorted,
            learners: config.learners.sorted(),
            votersOutgoing: config.voters.outgoing.sorted,
            learnersNext: config.learnersNext.sorted(),
            autoLeave: config.autoLeave)
    }

    /// Whether this is a one-voter, non-joint cluster, where the leader alone decides and can
    /// commit without waiting for anybody.
    ///
    /// etcd: `ProgressTracker.IsSingleton`.
    package func isSingleton() -> Bool {
        config.voters.incoming.count == 1 && config.voters.outgoing.isEmpty
    }

    /// The highest index the voters have acknowledged by quorum (in both halves when joint): the
    /// index the leader may commit up to.
    ///
    /// etcd: `ProgressTracker.Committed`.
    ///
    /// Always inlined: the leader calls it on every acknowledgement through the tracker it keeps
    /// in a class, and a call that is not inlined copies the whole tracker first (every set, map
    /// and list in it retained and released); inlined, only the two fields it reads are.
    @inline(__always) package func committed() -> UInt64 {
        config.voters.committedIndex(MatchAckIndexer(sortedProgress: sortedProgress))
    }

    /// `committed()` decided by `rule` (the learner's, in the workbook).
    package func committed(_ rule: (JointConfig, MatchAckIndexer) -> UInt64) -> UInt64 {
        rule(config.voters, MatchAckIndexer(sortedProgress: sortedProgress))
    }

    /// Calls `f` for every tracked node in ascending id order, so that what raft does for each
    /// node (sending messages, logging) happens in a reproducible order.
    ///
    /// etcd: `ProgressTracker.Visit`.
    package func visit(_ f: (UInt64, Progress) throws -> Void) rethrows {
        for (id, pr) in sortedProgress { try f(id, pr) }
    }

    /// The progress of `id`, or nil when it is not a member: `progress[id]`, found by binary
    /// search in the sorted pairs rather than by hashing (see `sortedProgress`).
    package func progress(of id: UInt64) -> Progress? {
        Self.find(id, in: sortedProgress)
    }

    /// The progress of `id` in pairs sorted by id, by binary search.
    package static func find(_ id: UInt64, in sorted: [(id: UInt64, progress: Progress)]) -> Progress? {
        var low = 0
        var high = sorted.count
        while low < high {
            let mid = (low + high) / 2
            if sorted[mid].id < id { low = mid + 1 } else { high = mid }
        }
        return low < sorted.count && sorted[low].id == id ? sorted[low].progress : nil
    }

    /// The map's entries sorted by id.
    private static func sortedByID(_ map: ProgressMap) -> [(id: UInt64, progress: Progress)] {
        map.map { (id: $0.key, progress: $0.value) }.sorted { $0.id < $1.id }
    }

    /// Whether a quorum of voters has been active recently; a leader with check-quorum steps down
    /// when this turns false.
    ///
    /// etcd: `ProgressTracker.QuorumActive`.
    package func quorumActive() -> Bool {
        quorumActive { $0.voteResult($1) }
    }

    /// `quorumActive()` decided by `rule` (the learner's, in the workbook).
    package func quorumActive(_ rule: (JointConfig, [UInt64: Bool]) -> VoteResult) -> Bool {
        var active: [UInt64: Bool] = [:]
        visit { id, pr in
            if !pr.isLearner { active[id] = pr.recentActive }
        }
        return rule(config.voters, active) == .voteWon
    }

    /// The voters of both halves, ascending.
    ///
    /// etcd: `ProgressTracker.VoterNodes`.
    package func voterNodes() -> [UInt64] {
        config.voters.ids.sorted()
    }

    /// The learners, ascending.
    ///
    /// etcd: `ProgressTracker.LearnerNodes`.
    package func learnerNodes() -> [UInt64] {
        config.learners.sorted()
    }

    /// Forgets the votes, before a new election.
    ///
    /// etcd: `ProgressTracker.ResetVotes`.
    package mutating func resetVotes() {
        votes = [:]
    }

    /// Records `id`'s vote (granted or not). Only the first vote of a node counts.
    ///
    /// etcd: `ProgressTracker.RecordVote`.
    package mutating func recordVote(_ id: UInt64, _ granted: Bool) {
        if votes[id] == nil { votes[id] = granted }
    }

    /// The granted and rejected votes among current voters (for logging), and the election
    /// result so far.
    ///
    /// etcd: `ProgressTracker.TallyVotes`.
    package func tallyVotes() -> (granted: Int, rejected: Int, result: VoteResult) {
        tallyVotes { $0.voteResult($1) }
    }

    /// `tallyVotes()` decided by `rule` (the learner's, in the workbook).
    package func tallyVotes(_ rule: (JointConfig, [UInt64: Bool]) -> VoteResult)
        -> (granted: Int, rejected: Int, result: VoteResult) {
        var granted = 0
        var rejected = 0
        for (id, pr) in progress where !pr.isLearner {
            guard let vote = votes[id] else { continue }
            if vote { granted += 1 } else { rejected += 1 }
        }
        return (granted, rejected, rule(config.voters, votes))
    }
}

/// Reads acknowledged indexes from a progress map: a node's `match`.
///
/// etcd: `tracker.matchAckIndexer`.
package struct MatchAckIndexer: AckedIndexer {
    /// The tracker's progresses, sorted by id (`ProgressTracker.sortedProgress`).
    package let sortedProgress: [(id: UInt64, progress: Progress)]

    package func ackedIndex(_ voterID: UInt64) -> UInt64? {
        ProgressTracker.find(voterID, in: sortedProgress)?.match
    }
}
