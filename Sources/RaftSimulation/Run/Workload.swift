import Raft

// Drawing the requests of a step: clients' writes (new ones and retries) and reads, and, in chaos
// only, an operator's membership changes, leadership transfers and election nudges. Compactions
// happen in both phases. Requests go to nodes that are up; which one is random, with a bias
// towards the leader as real clients have.

extension Simulator {
    /// The most writes clients keep outstanding at once.
    static let maxPendingWrites = 24
    /// The most retries clients send in one step.
    static let maxRetriesPerStep = 8

    func planWorkload(into actions: inout [Action]) {
        var r = workloadRandom
        defer { workloadRandom = r }
        let up = upNodes
        guard !up.isEmpty else { return }
        let leader = currentLeader
        func target() -> UInt64 {
            if let leader, r.chance(0.5) { return leader.id }
            return r.pick(up)?.id ?? up[0].id
        }

        // Retries of writes not yet acknowledged (a few per step at most).
        var retries = 0
        for w in clients.pending where w.nextRetry <= now && retries < Simulator.maxRetriesPerStep {
            actions.append(.propose(node: target(), write: w.id, size: w.size))
            retries += 1
        }
        // Clients keep at most `maxPendingWrites` writes outstanding: without a limit, writes
        // that faults left unacknowledged pile up, and their retries alone can outrun what a
        // slow configuration replicates.
        let calm = timeline.phase(at: now) == .calm
        if clients.pending.count < Simulator.maxPendingWrites && r.chance(calm ? scenario.calmWriteRate : scenario.writeRate) {
            let size = r.chance(0.1) ? r.int(100...600) : r.int(0...40)
            actions.append(.propose(node: target(), write: nextWriteID, size: size))
            nextWriteID += 1
        }
        if r.chance(scenario.readRate) {
            actions.append(.read(node: target(), read: nextReadID))
            nextReadID += 1
        }
        if r.chance(scenario.compactRate), let node = r.pick(up) {
            actions.append(.compact(node: node.id, keep: [0, 0, 3, 20][r.int(0...3)]))
        }
        guard !calm else { return }

        if r.chance(scenario.confChangeRate), let leader, let spec = planConfChange(leader, &r) {
            actions.append(.confChange(node: leader.id, spec))
        }
        if r.chance(scenario.transferRate), let leader,
           let to = r.pick(leader.app.confState.voters.filter({ $0 != leader.id })) {
            actions.append(.transfer(leader: leader.id, to: to))
        }
        if r.chance(scenario.nudgeRate), let node = r.pick(up) {
            actions.append(r.chance(0.5) ? .campaign(node.id) : .forgetLeader(node.id))
        }
    }

    /// In a replay, during a calm period: retries of the writes that the schedule has left
    /// without a proposal through a running node for longer than a client of a drawn run ever
    /// does (`Scenario.longestRetryGap`), through the leader (or the first node up).
    ///
    /// The liveness bound on writes assumes clients keep retrying them, and a drawn run's
    /// workload does. A replay proposes only what its schedule lists, and a schedule that was
    /// shortened (or edited) may have lost the retries, or kept only retries through nodes that no
    /// longer exist in the shortened run. A write proposed through a node removed before applying
    /// it is then committed but never acknowledged, and the shrinker settled on that instead of
    /// the run's real failure (seed 32028, shortened to write w252 proposed once through learner 9,
    /// which was then removed). Replaying a recorded schedule unchanged never needs these: its
    /// retries come often enough.
    func retriesMissingFromReplay() -> [Action] {
        guard let calm = timeline.calmStart(containing: now), let target = currentLeader ?? upNodes.first else {
            return []
        }
        var retries: [Action] = []
        for w in clients.pending where now - max(w.lastAttempt, calm) > scenario.longestRetryGap {
            guard retries.count < Simulator.maxRetriesPerStep else { break }
            retries.append(.propose(node: target.id, write: w.id, size: w.size))
        }
        return retries
    }

    /// A membership change that is valid for the leader's applied membership: add or remove a
    /// voter or learner, promote or demote, or a joint change replacing a voter. Keeps at least
    /// three voters (and a majority of the initial cluster size), and at most two members more
    /// than the initial cluster size.
    func planConfChange(_ leader: SimNode, _ r: inout SimRandom) -> ConfChangeSpec? {
        let cs = leader.app.confState
        if !cs.votersOutgoing.isEmpty {
            // In a joint configuration: leave it, unless raft will by itself.
            return cs.autoLeave ? nil : ConfChangeSpec(changes: [])
        }
        let voters = cs.voters.sorted(), learners = cs.learners.sorted()
        // At least three voters: with two, a voter whose log is behind can only lose elections,
        // and without PreVote each of its attempts resets the other's timer, which makes the
        // time to elect a leader unbounded in practice (each round is a coin toss).
        let minVoters = max(3, (scenario.clusterSize + 1) / 2)
        let roomForMore = voters.count + learners.count < scenario.clusterSize + 2
        func fresh() -> UInt64 {
            defer { nextNodeID += 1 }
            return nextNodeID
        }
        func simple(_ type: ConfChangeType, _ id: UInt64) -> ConfChangeSpec {
            ConfChangeSpec(legacy: r.chance(0.4), changes: [ConfChangeSingle(type: type, nodeID: id)])
        }
        func jointTransition() -> ConfChangeTransition {
            [.auto, .jointImplicit, .jointExplicit][r.int(0...2)]
        }
        var options: [Int] = []
        if roomForMore { options += [0, 1] }
        if !learners.isEmpty { options += [2, 5] }
        if voters.count > minVoters { options += [3, 4] }
        if roomForMore && voters.count >= minVoters { options.append(6) }
        if !learners.isEmpty && voters.count > minVoters { options.append(7) }
        guard let choice = r.pick(options) else { return nil }
        switch choice {
        case 0:
            return simple(.confChangeAddLearnerNode, fresh())
        case 1:
            return simple(.confChangeAddNode, fresh())
        case 2:
            return simple(.confChangeAddNode, r.pick(learners) ?? learners[0])
        case 3:
            // Demote a voter (sometimes the leader itself).
            let v = r.chance(0.2) ? leader.id : (r.pick(voters) ?? voters[0])
            return ConfChangeSpec(transition: jointTransition(), changes: [ConfChangeSingle(type: .confChangeAddLearnerNode, nodeID: v)])
        case 4:
            let v = r.chance(0.2) ? leader.id : (r.pick(voters) ?? voters[0])
            return simple(.confChangeRemoveNode, v)
        case 5:
            return simple(.confChangeRemoveNode, r.pick(learners) ?? learners[0])
        case 6:
            // Replace a voter with a new one, through a joint configuration.
            let v = r.pick(voters) ?? voters[0]
            return ConfChangeSpec(transition: jointTransition(), changes: [
                ConfChangeSingle(type: .confChangeAddNode, nodeID: fresh()),
                ConfChangeSingle(type: .confChangeRemoveNode, nodeID: v),
            ])
        default:
            // Swap roles: promote a learner and demote a voter together.
            let l = r.pick(learners) ?? learners[0]
            let v = r.pick(voters) ?? voters[0]
            return ConfChangeSpec(transition: jointTransition(), changes: [
                ConfChangeSingle(type: .confChangeAddNode, nodeID: l),
                ConfChangeSingle(type: .confChangeAddLearnerNode, nodeID: v),
            ])
        }
    }
}
