/// Computes the configuration (and progress map) that results from a membership change, and
/// refuses changes that would break raft's safety rules, without touching the tracker it starts
/// from. Raft applies the result only when the change is valid.
///
/// Every result is computed on copies: the `Progress` objects of `tracker` are never mutated (the
/// changed ones are cloned), so a refused change has no effect at all.
///
/// Not `Sendable`, like the `ProgressTracker` it holds.
///
/// `package`, not public: raft's own step of a membership change (an application calls
/// `applyConfChange`); RaftTesting's confchange harness, the tests and exercises Ch07-Ch08 use it.
///
/// etcd: `confchange.Changer`.
package struct Changer {
    /// The configuration and progress the change starts from.
    ///
    /// etcd: `Changer.Tracker`.
    package var tracker: ProgressTracker
    /// The leader's last log index; new nodes are probed from it.
    ///
    /// etcd: `Changer.LastIndex`.
    package var lastIndex: UInt64

    /// A changer starting from `tracker`, whose log ends at `lastIndex`.
    ///
    /// etcd: `confchange.Changer{Tracker: ..., LastIndex: ...}`.
    package init(tracker: ProgressTracker, lastIndex: UInt64) {
        self.tracker = tracker
        self.lastIndex = lastIndex
    }

    /// What a change yields: the new membership and the progress map that goes with it. (Not
    /// named `Result`, which would hide the standard library's inside `Changer`.)
    ///
    /// etcd: the `(tracker.Config, tracker.ProgressMap, error)` results.
    package typealias Outcome = (config: ProgressTracker.Config, progress: ProgressMap)

    /// Enters a joint configuration: the current voters become the outgoing half, `ccs` are
    /// applied to the incoming half, and decisions then need a majority of both (the thesis's
    /// C_old,new). `autoLeave` says whether raft leaves it by itself once committed.
    ///
    /// etcd: `Changer.EnterJoint`.
    package func enterJoint(autoLeave: Bool, _ ccs: [ConfChangeSingle]) throws(ConfChangeError) -> Outcome {
        var (cfg, trk) = try checkAndCopy()
        if isJoint(cfg) { throw .alreadyJoint }
        // Adding nodes to an empty configuration is allowed (bootstrap, tests), but an empty
        // configuration cannot become the outgoing half.
        if cfg.voters.incoming.isEmpty { throw .zeroVoterJoint }
        cfg.voters.outgoing = cfg.voters.incoming
        try apply(&cfg, &trk, ccs)
        cfg.autoLeave = autoLeave
        return try checked(cfg, trk)
    }

    /// Leaves the joint configuration: the incoming half alone decides from now on (the thesis's
    /// C_new). Staged demotions (`learnersNext`) become learners, and nodes that were only in the
    /// outgoing half are dropped.
    ///
    /// etcd: `Changer.LeaveJoint`.
    package func leaveJoint() throws(ConfChangeError) -> Outcome {
        var (cfg, trk) = try checkAndCopy()
        if !isJoint(cfg) { throw .leaveNonJoint }
        for id in cfg.learnersNext.sorted() {
            cfg.learners.insert(id)
            trk[id]?.isLearner = true
        }
        cfg.learnersNext = []
        for id in cfg.voters.outgoing where !cfg.voters.incoming.contains(id) && !cfg.learners.contains(id) {
            trk[id] = nil
        }
        cfg.voters.outgoing = []
        cfg.autoLeave = false
        return try checked(cfg, trk)
    }

    /// Applies `ccs` directly, without a joint configuration. Safe only when the voters change by
    /// at most one node in total (any two majorities of the old and new voters then overlap), so
    /// anything more is refused, as is a change while joint or one removing every voter.
    ///
    /// etcd: `Changer.Simple`.
    package func simple(_ ccs: [ConfChangeSingle]) throws(ConfChangeError) -> Outcome {
        var (cfg, trk) = try checkAndCopy()
        if isJoint(cfg) { throw .simpleInJoint }
        try apply(&cfg, &trk, ccs)
        if symmetricDifference(tracker.config.voters.incoming, cfg.voters.incoming) > 1 {
            throw .moreThanOneVoterChanged
        }
        return try checked(cfg, trk)
    }

    /// Rebuilds the configuration described by `cs` (from a snapshot, or at startup) by replaying
    /// changes onto this changer's configuration, which must be empty: the outgoing voters are
    /// added one by one, then the joint configuration is entered with the incoming voters and the
    /// learners; without outgoing voters, everything is added one change at a time.
    ///
    /// etcd: `confchange.Restore`.
    package func restore(_ cs: ConfState) throws(ConfChangeError) -> Outcome {
        var changer = self
        if cs.votersOutgoing.isEmpty {
            for cc in Changer.incomingChanges(cs) {
                (changer.tracker.config, changer.tracker.progress) = try changer.simple([cc])
            }
        } else {
            for id in cs.votersOutgoing {
                (changer.tracker.config, changer.tracker.progress) = try changer.simple(
                    [ConfChangeSingle(type: .confChangeAddNode, nodeID: id)])
            }
            (changer.tracker.config, changer.tracker.progress) = try changer.enterJoint(
                autoLeave: cs.autoLeave, Changer.incomingChanges(cs))
        }
        return (changer.tracker.config, changer.tracker.progress)
    }

    /// The changes that turn the outgoing voters of `cs` (if any) into its incoming configuration:
    /// remove every outgoing voter, then add the voters, the learners, and the staged learners.
    /// Staged learners are still outgoing voters, so adding them as learners stages them again.
    package static func incomingChanges(_ cs: ConfState) -> [ConfChangeSingle] {
        var ccs: [ConfChangeSingle] = []
        ccs.reserveCapacity(cs.votersOutgoing.count + cs.voters.count + cs.learners.count + cs.learnersNext.count)
        for id in cs.votersOutgoing { ccs.append(ConfChangeSingle(type: .confChangeRemoveNode, nodeID: id)) }
        for id in cs.voters { ccs.append(ConfChangeSingle(type: .confChangeAddNode, nodeID: id)) }
        for id in cs.learners { ccs.append(ConfChangeSingle(type: .confChangeAddLearnerNode, nodeID: id)) }
        for id in cs.learnersNext { ccs.append(ConfChangeSingle(type: .confChangeAddLearnerNode, nodeID: id)) }
        return ccs
    }

    /// The changes as etcd describes them in logs: `ConfChangeAddNode(1) ConfChangeRemoveNode(2)`.
    ///
    /// etcd: `confchange.Describe`.
    package static func describe(_ ccs: [ConfChangeSingle]) -> String {
        ccs.map { "\($0.type)(\($0.nodeID))" }.joined(separator: " ")
    }

    // MARK: - Applying changes

    /// Applies each change to the incoming half (node id 0 means "skip this change": etcd's
    /// application zeroes changes it decides not to apply), then refuses a voterless result.
    package func apply(
        _ cfg: inout ProgressTracker.Config, _ trk: inout ProgressMap, _ ccs: [ConfChangeSingle]
    ) throws(ConfChangeError) {
        for cc in ccs where cc.nodeID != 0 {
            switch cc.type {
            case .confChangeAddNode: makeVoter(&cfg, &trk, cc.nodeID)
            case .confChangeAddLearnerNode: makeLearner(&cfg, &trk, cc.nodeID)
            case .confChangeRemoveNode: remove(&cfg, &trk, cc.nodeID)
            case .confChangeUpdateNode: break
            }
        }
        if cfg.voters.incoming.isEmpty { throw .removedAllVoters }
    }

    /// Adds `id` as a voter of the incoming half, or promotes it if it is a learner (staged or
    /// not), keeping its progress.
    package func makeVoter(_ cfg: inout ProgressTracker.Config, _ trk: inout ProgressMap, _ id: UInt64) {
        guard let pr = trk[id] else {
            initProgress(&cfg, &trk, id, isLearner: false)
            return
        }
        pr.isLearner = false
        cfg.learners.remove(id)
        cfg.learnersNext.remove(id)
        cfg.voters.incoming.insert(id)
    }

    /// Adds `id` as a learner, or demotes it. A voter of the outgoing half cannot be a learner at
    /// the same time, so its demotion is staged in `learnersNext` until the joint configuration is
    /// left; any other node becomes a learner right away. The progress is kept.
    package func makeLearner(_ cfg: inout ProgressTracker.Config, _ trk: inout ProgressMap, _ id: UInt64) {
        guard let pr = trk[id] else {
            initProgress(&cfg, &trk, id, isLearner: true)
            return
        }
        if pr.isLearner { return }
        remove(&cfg, &trk, id)
        trk[id] = pr
        if cfg.voters.outgoing.contains(id) {
            cfg.learnersNext.insert(id)
        } else {
            pr.isLearner = true
            cfg.learners.insert(id)
        }
    }

    /// Removes `id` from the incoming half and from the learners; its progress is dropped unless
    /// it still votes in the outgoing half.
    package func remove(_ cfg: inout ProgressTracker.Config, _ trk: inout ProgressMap, _ id: UInt64) {
        guard trk[id] != nil else { return }
        cfg.voters.incoming.remove(id)
        cfg.learners.remove(id)
        cfg.learnersNext.remove(id)
        if !cfg.voters.outgoing.contains(id) { trk[id] = nil }
    }

    /// Tracks a new node: probed from the last index (in the hope that it has caught up out of
    /// band; otherwise a rejection or a snapshot follows), and counted as recently active so that
    /// check-quorum does not step the leader down before the node could answer.
    package func initProgress(
        _ cfg: inout ProgressTracker.Config, _ trk: inout ProgressMap, _ id: UInt64, isLearner: Bool
    ) {
        if isLearner {
            cfg.learners.insert(id)
        } else {
            cfg.voters.incoming.insert(id)
        }
        trk[id] = Progress(
            match: 0,
            next: max(lastIndex, 1),  // match < next
            recentActive: true,
            inflights: Inflights(size: tracker.maxInflight, maxBytes: tracker.maxInflightBytes),
            isLearner: isLearner)
    }

    // MARK: - Invariants

    /// Copies of the tracker's configuration and progresses (every progress cloned, so that the
    /// tracker's own objects are never changed), after checking that they are consistent.
    package func checkAndCopy() throws(ConfChangeError) -> (ProgressTracker.Config, ProgressMap) {
        try checked(tracker.config, tracker.progress.cloned())
    }

    /// `cfg` and `trk` if they are consistent with each other, else the first violation found.
    package func checked(
        _ cfg: ProgressTracker.Config, _ trk: ProgressMap
    ) throws(ConfChangeError) -> (ProgressTracker.Config, ProgressMap) {
        // The empty configuration is allowed on purpose: it is where bootstrap starts.
        for ids in [cfg.voters.ids.sorted(), cfg.learners.sorted(), cfg.learnersNext.sorted()] {
            for id in ids where trk[id] == nil {
                throw ConfChangeError("no progress for \(id)")
            }
        }
        // A staged learner was staged because it still votes in the outgoing half.
        for id in cfg.learnersNext.sorted() {
            if !cfg.voters.outgoing.contains(id) {
                throw ConfChangeError("\(id) is in LearnersNext, but not Voters[1]")
            }
            if trk[id]?.isLearner == true {
                throw ConfChangeError("\(id) is in LearnersNext, but is already marked as learner")
            }
        }
        // Learners and voters never overlap.
        for id in cfg.learners.sorted() {
            if cfg.voters.outgoing.contains(id) {
                throw ConfChangeError("\(id) is in Learners and Voters[1]")
            }
            if cfg.voters.incoming.contains(id) {
                throw ConfChangeError("\(id) is in Learners and Voters[0]")
            }
            if trk[id]?.isLearner != true {
                throw ConfChangeError("\(id) is in Learners, but is not marked as learner")
            }
        }
        if !isJoint(cfg) {
            // (etcd also insists that the outgoing half is nil rather than empty; with a value type
            // the two are the same thing here.)
            if !cfg.learnersNext.isEmpty {
                throw ConfChangeError("cfg.LearnersNext must be nil when not joint")
            }
            if cfg.autoLeave {
                throw ConfChangeError("AutoLeave must be false when not joint")
            }
        }
        return (cfg, trk)
    }

    /// Whether the configuration is joint: it has an outgoing half.
    package func isJoint(_ cfg: ProgressTracker.Config) -> Bool {
        !cfg.voters.outgoing.isEmpty
    }

    /// The number of ids in exactly one of `a` and `b`.
    package func symmetricDifference(_ a: MajorityConfig, _ b: MajorityConfig) -> Int {
        a.reduce(0) { $0 + (b.contains($1) ? 0 : 1) } + b.reduce(0) { $0 + (a.contains($1) ? 0 : 1) }
    }
}
