import Raft

/// Everything a seed decides before the first step: the cluster, raft's options, how hostile the
/// environment is and how busy the clients are.
///
/// Drawn from its own stream of the seed, so that adding a workload operation or a fault class
/// later does not change which raft options a given seed runs with.
public struct Scenario: Sendable, CustomStringConvertible {
    public var seed: UInt64
    /// Members at start, all voters: 3, 5 or 7.
    public var clusterSize: Int
    public var electionTick: Int
    public var heartbeatTick: Int
    public var preVote: Bool
    public var checkQuorum: Bool
    public var asyncStorageWrites: Bool
    public var readOnly: ReadOnlyOption
    public var stepDownOnRemoval: Bool
    /// 0 (one entry per append) to unlimited; small values split appends and snapshots' catch-up.
    public var maxSizePerMsg: UInt64
    public var maxInflightMsgs: Int
    public var maxCommittedSizePerReady: UInt64
    /// The leader's limit on uncommitted payload (proposals beyond it are dropped): without one, a
    /// leader that cannot commit keeps growing its log with client retries.
    public var maxUncommittedEntriesSize: UInt64
    /// Start from `RawNode.bootstrap` (conf change entries at indexes 1...n) instead of a snapshot
    /// at index 1 that holds the initial membership.
    public var bootstrapWithEntries: Bool
    /// The application makes its applied state durable after every k-th applied batch; after a
    /// crash raft replays the committed entries after the last durable one.
    public var appCheckpointEvery: Int

    // Faults, per step of chaos or per message.
    public var dropRate: Double
    public var duplicateRate: Double
    /// Chance that a message is held back for up to three election timeouts.
    public var slowRate: Double
    /// The usual delivery delay is 0...maxDelay ticks.
    public var maxDelay: Int
    public var crashRate: Double
    /// Chance per step that a crashed node comes back.
    public var restartRate: Double
    /// The most nodes down at once.
    public var maxDown: Int
    /// Chance that a crash is a quick restart (the process comes back within 1 to 3 ticks, while
    /// messages sent to it before the crash are still on the wire).
    public var quickRestartRate: Double
    /// Chance per step that a node which has just persisted a vote for another node crashes and
    /// comes back quickly: crashes in the middle of elections, where vote durability matters.
    public var electionCrashRate: Double
    public var partitionRate: Double
    public var healRate: Double
    /// The most ticks a write to storage may wait, with async storage writes.
    public var maxStorageDelay: Int

    // Workload, per step.
    public var writeRate: Double
    public var readRate: Double
    public var confChangeRate: Double
    public var transferRate: Double
    public var compactRate: Double
    /// Operator nudges: campaign and forget-leader calls on random nodes.
    public var nudgeRate: Double

    /// Whether the run has a calm period in the middle as well as at the end.
    public var midRunCalm: Bool

    /// The scenario of `seed`.
    public init(seed: UInt64) {
        var r = SimRandom(seed: seed, stream: 1)
        self.seed = seed
        clusterSize = [3, 3, 5, 5, 7][r.int(0...4)]
        electionTick = r.int(5...12)
        heartbeatTick = r.int(1...max(1, electionTick / 5))
        preVote = r.chance(0.7)
        checkQuorum = r.chance(0.6)
        asyncStorageWrites = r.chance(0.4)
        readOnly = checkQuorum && r.chance(0.5) ? .leaseBased : .safe
        stepDownOnRemoval = r.chance(0.2)
        maxSizePerMsg = [0, 64, 512, 4096, noLimit][r.int(0...4)]
        maxInflightMsgs = [1, 4, 256][r.int(0...2)]
        maxCommittedSizePerReady = r.chance(0.3) ? 128 : 0
        // Several times the largest write (a little over 600 bytes), or large writes starve
        // behind small ones; small with one message in flight, which replicates slowly.
        maxUncommittedEntriesSize = maxInflightMsgs == 1 ? 4096 : [4096, 16384, 65536][r.int(0...2)]
        bootstrapWithEntries = r.chance(0.3)
        appCheckpointEvery = [1, 1, 2, 5][r.int(0...3)]

        dropRate = r.chance(0.2) ? 0 : r.double(0..<0.15)
        duplicateRate = r.chance(0.3) ? 0 : r.double(0..<0.05)
        slowRate = r.chance(0.3) ? 0 : r.double(0..<0.05)
        maxDelay = r.int(0...3)
        crashRate = r.chance(0.15) ? 0 : r.double(0.001..<0.012)
        restartRate = r.double(0.02..<0.2)
        maxDown = r.int(1...clusterSize)
        quickRestartRate = r.double(0..<0.5)
        electionCrashRate = crashRate == 0 || r.chance(0.3) ? 0 : r.double(0.05..<0.5)
        partitionRate = r.chance(0.2) ? 0 : r.double(0.001..<0.01)
        healRate = r.double(0.005..<0.05)
        maxStorageDelay = r.int(0...4)

        writeRate = r.double(0.05..<0.6)
        readRate = r.double(0..<0.3)
        confChangeRate = r.chance(0.2) ? 0 : r.double(0.002..<0.03)
        transferRate = r.chance(0.3) ? 0 : r.double(0.001..<0.01)
        compactRate = r.double(0.002..<0.03)
        nudgeRate = r.chance(0.5) ? 0 : r.double(0..<0.005)
        midRunCalm = r.chance(0.5)
    }

    /// Whether calm periods check liveness (a leader and acknowledged writes within bounds): only
    /// with PreVote. Without it, a node whose log is behind keeps campaigning after the heal; it
    /// cannot win, but each of its elections moves the others to its term and restarts their
    /// timers, so the one node that can win must time out first: a race each round, lost with a
    /// fixed chance, which no bound of ticks covers. Without CheckQuorum as well, a node that
    /// raised its term while cut off ignores the leader's lower-term messages, and if its applied
    /// configuration is stale its elections never reach the leader: the cluster waits until the
    /// leader's term catches up. Safety is checked in every run. (Calm periods stalled by a
    /// removed node are counted apart: see `Simulator.membershipStall`.)
    public var livenessChecked: Bool { preVote }

    /// Ticks a calm period lasts: long enough for the liveness bounds below, with room to spare.
    public var calmLength: Int { 30 * electionTick }
    /// After faults stop, a leader must be elected within this many ticks.
    public var leaderBound: Int { 10 * electionTick }
    /// After faults stop, a write must be acknowledged within this many ticks of the later of its
    /// proposal and the leader bound (clients retry writes that are not acknowledged), plus the
    /// time to replicate the backlog (see `backlogTicks`).
    public var writeBound: Int { 10 * electionTick }
    /// Ticks to replicate `backlog` entries in calm: a round trip takes at most 2 ticks (messages
    /// take 0 or 1 tick each way, storage work none) and carries at least one entry per message
    /// in flight.
    public func backlogTicks(_ backlog: Int) -> Int { (2 * backlog + maxInflightMsgs - 1) / maxInflightMsgs }
    /// Ticks a client waits for an acknowledgement before proposing the write again; twice that
    /// after the second attempt (an election timeout when raft refused the proposal outright).
    public var retryAfter: Int { 3 * electionTick }
    /// The longest a client of a drawn run leaves a pending write without proposing it through a
    /// running node in a calm period (counting from the calm's start): the longest retry interval,
    /// plus the steps the cap on retries per step can hold a retry back.
    var longestRetryGap: Int { 2 * retryAfter + Simulator.maxPendingWrites / Simulator.maxRetriesPerStep }
    /// Writes per step in calm periods, well under what the slowest configuration replicates.
    public var calmWriteRate: Double { min(writeRate, 0.1) }

    /// One line with the options that matter when reading a report.
    public var description: String {
        var opts: [String] = []
        if preVote { opts.append("prevote") }
        if checkQuorum { opts.append("checkquorum") }
        if readOnly == .leaseBased { opts.append("lease-reads") }
        if asyncStorageWrites { opts.append("async-storage") }
        if stepDownOnRemoval { opts.append("stepdown-on-removal") }
        if bootstrapWithEntries { opts.append("bootstrap-entries") }
        let size = maxSizePerMsg == noLimit ? "unlimited" : String(maxSizePerMsg)
        return "\(clusterSize) nodes, election \(electionTick) heartbeat \(heartbeatTick), "
            + "\(opts.isEmpty ? "no options" : opts.joined(separator: " ")), maxSizePerMsg \(size), "
            + "inflight \(maxInflightMsgs)"
    }
}
