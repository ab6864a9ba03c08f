import Raft

/// A raft cluster in virtual time, under faults, with its invariants checked at every step.
///
///     let outcome = Simulator(seed: 42, steps: 2000).run()
///     if let v = outcome.violation { print(v) }
///
/// One step is one tick of every node's clock. Within a step: the phase changes if a calm period
/// starts or ends; the step's actions happen (faults, client and operator requests); every node
/// ticks; then messages due by now are delivered, Readies handled and storage work done until
/// nothing is left for this step. Messages sent with no delay arrive within the same step.
///
/// Everything random comes from the seed, in separate streams for faults, workload and message
/// fates, or, when replaying, from a `Schedule`. Nothing iterates a dictionary where order could
/// matter, and nothing reads a clock, so a seed replays exactly.
public final class Simulator {
    public let scenario: Scenario
    public let timeline: Timeline
    public let bug: InjectedBug?
    /// The last step to run.
    let lastStep: Int

    let baseConfig: Config
    /// The learner's Ready handler (the workbook's exercise 3.3), run as every node's application
    /// loop in place of raft's `handleReady`; nil for the simulator's own runs. The learner's other
    /// pieces of raft reach the nodes through `baseConfig.parts`.
    let yourHandleReady: (@Sendable (Ready, any ReadyApplication) throws -> Void)?
    /// Collects raft's log lines for the trace, when asked for.
    let raftLogger: TraceLogger?
    /// Every node ever known, by id: `nodes[id - 1]`.
    var nodes: [SimNode] = []
    var network = Network()
    var checker = Checker()
    var stats = Stats()
    var trace: Trace
    var clients = Clients()
    /// Writes acknowledged so far (a replayed retry of one of them does nothing).
    var acknowledgedWrites: Set<UInt64> = []
    var now = 0

    /// The schedule being replayed, if any; otherwise decisions are drawn at random.
    let replay: Schedule?
    /// The schedule being recorded, if asked for.
    var recording: Schedule?
    /// Numbers every message and storage write in sending order, to look up its fate.
    var messageNumber = 0
    var faultRandom: SimRandom
    var workloadRandom: SimRandom
    var networkRandom: SimRandom

    var nextWriteID: UInt64 = 1
    var nextReadID: UInt64 = 1
    var nextNodeID: UInt64
    /// The highest log index whose conf change has had its effects (nodes started or stopped):
    /// the first node to apply a conf change speaks for the cluster.
    var membershipIndex: UInt64 = 0
    /// Work that must wait until no node is in the middle of handling a Ready.
    var deferred: [Deferred] = []
    /// Quick restarts the fault planner has promised: node id and the step it comes back.
    var quickRestarts: [(id: UInt64, at: Int)] = []
    /// Removed nodes still running until enough remaining members know of their removal.
    var retiring: [Retirement] = []
    /// The highest send number (plus one) delivered on each link, to count reordering, at
    /// `from * 1024 + to` (node ids stay below 1000).
    var lastDelivered: [UInt64] = []
    /// When the current calm period found its leader.
    var calmLeaderFound: Int?
    /// Entries a quorum still had to receive when the calm period started (see
    /// `replicationBacklog`).
    var calmBacklog = 0
    /// Whether the current calm period hit a known membership stall (see `membershipStall`).
    var calmStalled = false

    /// A node removed from the membership at log index `index`, which keeps running until a
    /// majority of each voter set of the new configuration (`voters`, and `outgoing` when joint)
    /// has persisted a commit index at or past it. `remaining` lists every other member.
    struct Retirement {
        var id: UInt64
        var index: UInt64
        var remaining: [UInt64]
        var voters: [UInt64]
        var outgoing: [UInt64]
    }

    enum Deferred {
        case start(UInt64)
        case remove(UInt64)
        case snapshotStatus(node: UInt64, to: UInt64, failed: Bool)
        case unreachable(node: UInt64, to: UInt64)
    }

    /// A run of `seed` for `steps` steps (stopping early after step `stopAfter` if given), its
    /// decisions drawn at random.
    /// `strictLease` counts stale lease reads from a deposed leader as violations (see
    /// `Checker.readServed`).
    public convenience init(seed: UInt64, steps: Int, stopAfter: Int? = nil, bug: InjectedBug? = nil,
                            strictLease: Bool = false, record: Bool = false, verbose: Bool = false,
                            raftLog: LogLevel? = nil) {
        self.init(schedule: nil, seed: seed, steps: steps, stopAfter: stopAfter, bug: bug, strictLease: strictLease,
                  record: record, verbose: verbose, raftLog: raftLog, parts: nil)
    }

    /// A run of `seed` whose nodes run the learner's pieces of raft (`parts`), for the workbook's
    /// judge. With a learner's `handleReady`, a crash planned after a node persists a Ready
    /// happens before the write lands instead: with the order raft needs (persist, then send) the
    /// two are alike, but only this one shows the harm of sending first.
    package convenience init(seed: UInt64, steps: Int, parts: Parts?, verbose: Bool = false,
                             raftLog: LogLevel? = nil) {
        self.init(schedule: nil, seed: seed, steps: steps, stopAfter: nil, bug: nil, strictLease: false,
                  record: false, verbose: verbose, raftLog: raftLog, parts: parts)
    }

    /// A replay of `schedule`: its seed and steps, its actions and message fates.
    /// `raftLog` puts raft's own log lines at that level and above into the trace.
    public convenience init(replaying schedule: Schedule, verbose: Bool = false, raftLog: LogLevel? = nil) {
        self.init(schedule: schedule, seed: schedule.seed, steps: schedule.steps, stopAfter: schedule.stopAfter,
                  bug: schedule.bug, strictLease: schedule.strictLease, record: false, verbose: verbose, raftLog: raftLog,
                  parts: nil)
    }

    private init(schedule: Schedule?, seed: UInt64, steps: Int, stopAfter: Int?, bug: InjectedBug?, strictLease: Bool,
                 record: Bool, verbose: Bool, raftLog: LogLevel?, parts: Parts?) {
        let scenario = Scenario(seed: seed)
        self.scenario = scenario
        timeline = Timeline(scenario: scenario, steps: steps)
        lastStep = min(steps, (stopAfter ?? steps - 1) + 1) - 1
        self.bug = bug
        replay = schedule
        recording = record ? Schedule(seed: seed, steps: steps, bug: bug) : nil
        recording?.stopAfter = stopAfter
        recording?.strictLease = strictLease
        trace = Trace(capacity: verbose ? 20_000 : 400, verbose: verbose)
        faultRandom = SimRandom(seed: seed, stream: 10)
        workloadRandom = SimRandom(seed: seed, stream: 11)
        networkRandom = SimRandom(seed: seed, stream: 12)
        nextNodeID = UInt64(scenario.clusterSize) + 1
        checker.leaseReads = scenario.readOnly == .leaseBased
        checker.strictLease = strictLease

        var c = Config(id: 1, electionTick: scenario.electionTick, heartbeatTick: scenario.heartbeatTick,
                       storage: MemoryStorage())
        c.preVote = scenario.preVote
        c.checkQuorum = scenario.checkQuorum
        c.asyncStorageWrites = scenario.asyncStorageWrites
        c.readOnlyOption = scenario.readOnly
        c.stepDownOnRemoval = scenario.stepDownOnRemoval
        c.maxSizePerMsg = scenario.maxSizePerMsg
        c.maxInflightMsgs = scenario.maxInflightMsgs
        c.maxCommittedSizePerReady = scenario.maxCommittedSizePerReady
        c.maxUncommittedEntriesSize = scenario.maxUncommittedEntriesSize
        // Raft's own invariants still stop the process: print why before it does.
        let logger = raftLog.map { TraceLogger(level: $0) }
        c.logger = logger ?? DefaultLogger(level: .fatal)
        raftLogger = logger
        c.parts = parts
        yourHandleReady = parts?.handleReady
        baseConfig = c
    }

    // MARK: - Nodes

    func node(_ id: UInt64) -> SimNode? {
        guard id >= 1, id <= UInt64(nodes.count) else { return nil }
        return nodes[Int(id - 1)]
    }

    /// The node with this id, created (not started) if it is new.
    func ensureNode(_ id: UInt64) -> SimNode? {
        guard id >= 1, id < 1_000 else { return nil }
        while nodes.count < Int(id) { nodes.append(SimNode(id: UInt64(nodes.count + 1))) }
        return nodes[Int(id - 1)]
    }

    /// Nodes that are members of the cluster as far as the simulation knows: started and not
    /// removed, up or down.
    var members: [SimNode] { nodes.filter { $0.life == .up || $0.life == .down } }
    var upNodes: [SimNode] { nodes.filter { $0.isUp } }

    /// The up node that leads the highest term, if any.
    var currentLeader: SimNode? {
        var best: SimNode?
        var bestTerm: UInt64 = 0
        for n in nodes where n.isUp && n.seenState == .leader && n.seenTerm >= bestTerm {
            best = n
            bestTerm = n.seenTerm
        }
        return best
    }

    // MARK: - Running

    /// Runs every step (or until the first violation) and returns what happened.
    public func run() -> Outcome {
        setUp()
        var stepsRun = 0
        if !checker.failed {
            for step in stride(from: 0, through: lastStep, by: 1) {
                now = step
                checker.step = step
                beginStep()
                for action in decideActions() {
                    execute(action)
                    if checker.failed { break }
                }
                if !checker.failed { tickAll() }
                if !checker.failed { pump() }
                if !checker.failed { endStep() }
                stepsRun += 1
                if checker.failed { break }
            }
        }
        stats.seeds = 1
        stats.steps = stepsRun
        stats.leaseAnomalies = checker.leaseAnomalies
        stats.firstLeaseAnomaly = checker.firstLeaseAnomaly.map { "seed \(scenario.seed) \($0)" }
        return Outcome(seed: scenario.seed, steps: timeline.steps, stepsRun: stepsRun, violation: checker.violation,
                       stats: stats, fingerprint: fingerprint, trace: trace, schedule: recording,
                       leaseAnomaly: checker.firstLeaseAnomaly)
    }

    /// Creates the initial members, all voters, and lets them settle their first Readies.
    func setUp() {
        let n = scenario.clusterSize
        let ids = (1...n).map { UInt64($0) }
        for id in ids {
            guard let node = ensureNode(id) else { continue }
            if scenario.bootstrapWithEntries {
                node.bootstrapPeers = ids.map { Peer(id: $0) }
            } else {
                // As an installer would: a snapshot at index 1 holding the membership.
                let s = Snapshot(data: AppState().snapshotData,
                                 metadata: SnapshotMetadata(confState: ConfState(voters: ids), index: 1, term: 1))
                node.store.install(s)
                node.store.hardState = HardState(term: 1, vote: 0, commit: 1)
            }
            start(node)
        }
        if !scenario.bootstrapWithEntries { checker.initialState(index: 1, digest: 0) }
        membershipIndex = scenario.bootstrapWithEntries ? UInt64(n) : 1
        checker.bootstrapConfChanges = membershipIndex
        pump()
    }

    /// Starts or restarts a node from its disk.
    func start(_ node: SimNode) {
        let restarting = node.incarnation > 0
        let started: HardState
        do {
            started = try node.start(config: baseConfig, seed: scenario.seed, forgetVote: restarting && bug == .forgetVote)
        } catch {
            checker.fail(.brokenReady, "node \(node.id) cannot start from its disk: \(error)")
            return
        }
        if restarting {
            stats.restarts += 1
            let hs = node.store.hardState
            if hs.commit > node.store.app.appliedIndex {
                stats.restartsReplaying += 1
                stats.entriesReplayed += Int(hs.commit - node.store.app.appliedIndex)
            }
            trace.add(now, .restarted(node: node.id, hardState: started, applied: node.store.app.appliedIndex))
            if started.vote != hs.vote {
                trace.add(now, .note("n\(node.id) forgot its vote for n\(hs.vote) in term \(hs.term) (injected bug: the fsync lied)"))
            }
        } else {
            trace.add(now, .started(node.id))
        }
        observe(node)
    }

    /// Phase changes at the start of a step.
    func beginStep() {
        if timeline.calmStarts.contains(now) {
            trace.add(now, .phase(.calm))
            stats.calmPeriods += 1
            if scenario.livenessChecked { stats.calmPeriodsChecked += 1 }
            calmLeaderFound = nil
            calmStalled = false
            quickRestarts = []
            for node in nodes where node.life == .down { start(node) }
            // A crash armed for a node's next Ready is a fault too: disarmed.
            for node in nodes { node.crashAfterNextPersist = false }
            calmBacklog = replicationBacklog
            stats.maxCalmBacklog = max(stats.maxCalmBacklog, calmBacklog)
            if !network.cut.isEmpty {
                network.heal()
                stats.heals += 1
            }
        } else if now > 0, timeline.phase(at: now) == .chaos, timeline.phase(at: now - 1) == .calm {
            trace.add(now, .phase(.chaos))
        }
    }

    /// Ticks every node that is up.
    func tickAll() {
        for node in nodes where node.isUp {
            node.raw?.tick()
            observe(node)
            if checker.failed { return }
        }
    }

    /// Delivers what is due, handles Readies and storage work, until nothing is left to do now.
    func pump() {
        var rounds = 0
        while rounds < 10_000 && !checker.failed {
            rounds += 1
            var busy = false
            while let f = network.nextDue(now: now) {
                deliver(f)
                busy = true
                if checker.failed { return }
            }
            for node in nodes where node.isUp {
                if node.raw?.hasReady() == true {
                    handleReady(node)
                    busy = true
                }
                if runStorageThreads(node) { busy = true }
                if checker.failed { return }
            }
            retireRemovedNodes()
            if !deferred.isEmpty {
                runDeferred()
                busy = true
            }
            if !busy { break }
        }
    }

    /// The decisions of this step: from the schedule, or drawn.
    func decideActions() -> [Action] {
        let actions: [Action]
        if let replay {
            actions = (replay.actions[now] ?? []) + retriesMissingFromReplay()
        } else {
            var planned: [Action] = []
            if now > 0 && timeline.phase(at: now) == .chaos { planFaults(into: &planned) }
            planWorkload(into: &planned)
            actions = planned
        }
        if recording != nil && !actions.isEmpty { recording?.actions[now] = actions }
        return actions
    }

    /// A digest of the run's outcome, equal for two runs that went the same way.
    var fingerprint: UInt64 {
        var h = SplitMix64.mix(scenario.seed)
        for t in checker.committedTerms { h = SplitMix64.mix(h ^ t) }
        h = SplitMix64.mix(h ^ UInt64(stats.messagesSent))
        h = SplitMix64.mix(h ^ UInt64(stats.messagesDelivered))
        h = SplitMix64.mix(h ^ UInt64(stats.leadersElected))
        for node in nodes {
            h = SplitMix64.mix(h ^ node.app.digest ^ node.store.hardState.term ^ (node.app.appliedIndex << 20))
        }
        return h
    }
}

/// How a run ended.
public struct Outcome: Sendable {
    public var seed: UInt64
    public var steps: Int
    /// Steps run before stopping (all of them unless a violation stopped the run).
    public var stepsRun: Int
    public var violation: Violation?
    public var stats: Stats
    /// Equal for two runs that went the same way: the determinism check.
    public var fingerprint: UInt64
    var trace: Trace
    /// The run's schedule, when recording was asked for.
    public var schedule: Schedule?
    /// The first stale lease read from a deposed leader, if any (see `Checker.readServed`).
    public var leaseAnomaly: String?

    /// The last `limit` events of the run, one per line.
    public func traceLines(limit: Int) -> [String] { trace.lines(limit: limit) }
}
