/// What a run did: the faults it injected, the work it drove through raft, and what raft did in
/// response. Summed over seeds for the summary `raft-sim` prints and `Notes/reliability.md` keeps.
public struct Stats: Sendable, Hashable {
    public var seeds = 0
    public var steps = 0

    // Network faults.
    public var messagesSent = 0
    public var messagesDelivered = 0
    public var droppedAtRandom = 0
    public var droppedByPartition = 0
    public var droppedNodeDown = 0
    public var duplicated = 0
    /// Messages held back for longer than the usual jitter (up to three election timeouts).
    public var delayedLong = 0
    /// Messages that arrived after a message sent later on the same link.
    public var reordered = 0
    public var partitionsSymmetric = 0
    public var partitionsOneWay = 0
    /// Symmetric partitions that cut the leader off from everyone.
    public var leaderIsolations = 0
    public var heals = 0
    public var unreachableReports = 0

    // Node faults.
    public var crashes = 0
    public var crashesAfterPersist = 0
    /// Crashes of a node that had just persisted a vote for another node, restarted quickly.
    public var electionCrashes = 0
    /// Other crashes followed by a restart within 1 to 3 ticks.
    public var quickRestarts = 0
    public var restarts = 0
    /// Restarts where raft had to hand committed entries to the application again (its durable
    /// state was behind the commit index).
    public var restartsReplaying = 0
    public var entriesReplayed = 0
    /// Crashes that lost applied state newer than the application's last checkpoint.
    public var crashesLosingAppliedState = 0
    /// Crashes that lost queued storage-thread work (async storage writes).
    public var crashesLosingStorageWork = 0
    public var storageWorkLost = 0
    public var storageWritesDelayed = 0

    // Workload.
    public var writesProposed = 0
    public var writesRetried = 0
    public var writesAcknowledged = 0
    public var proposalsDropped = 0
    public var readsIssued = 0
    public var readsServed = 0
    /// Stale lease reads answered by a deposed leader (etcd's lease window, not counted as
    /// violations unless `--strict-lease`).
    public var leaseAnomalies = 0
    /// The first of them, with its seed, for the summary.
    public var firstLeaseAnomaly: String?
    public var confChangesProposed = 0
    public var confChangesApplied = 0
    public var confChangesRefused = 0
    public var jointEntered = 0
    public var jointLeft = 0
    public var votersAdded = 0
    public var learnersAdded = 0
    public var learnersPromoted = 0
    public var votersDemoted = 0
    public var nodesRemoved = 0
    public var transfersRequested = 0
    public var compactions = 0
    public var nudges = 0

    // What raft did.
    public var leadersElected = 0
    /// Leaders that stepped down without seeing a higher term (CheckQuorum, or removal).
    public var leaderStepDowns = 0
    public var snapshotsSent = 0
    public var snapshotsInstalled = 0
    /// Snapshots a node held back from raft until its apply thread had caught up (see
    /// `SimNode.heldSnapshots`).
    public var snapshotsHeld = 0
    public var messagesRefused = 0

    // Liveness.
    public var calmPeriods = 0
    /// Calm periods whose liveness was checked (see `Scenario.livenessChecked`).
    public var calmPeriodsChecked = 0
    /// Calm periods without a leader because a removed node was still needed by the others'
    /// applied configuration (etcd-io/etcd#12359), counted apart from violations.
    public var membershipStalls = 0
    public var firstMembershipStall: String?
    /// The most ticks any calm period took to have a leader.
    public var maxTicksToLeader = 0
    /// The same in election timeouts of its scenario (the bound is 10).
    public var maxElectionTimeoutsToLeader = 0.0
    /// The most ticks between the start of the write bound and a write's acknowledgement, in calm.
    public var maxTicksToAcknowledge = 0
    /// The most entries a quorum still had to receive at the start of a calm period (see
    /// `Simulator.replicationBacklog`).
    public var maxCalmBacklog = 0

    public init() {}

    /// Adds `other` in: counters add, maxima take the larger.
    public mutating func merge(_ o: Stats) {
        seeds += o.seeds; steps += o.steps
        messagesSent += o.messagesSent; messagesDelivered += o.messagesDelivered
        droppedAtRandom += o.droppedAtRandom; droppedByPartition += o.droppedByPartition
        droppedNodeDown += o.droppedNodeDown; duplicated += o.duplicated; delayedLong += o.delayedLong
        reordered += o.reordered; partitionsSymmetric += o.partitionsSymmetric
        partitionsOneWay += o.partitionsOneWay; leaderIsolations += o.leaderIsolations; heals += o.heals
        unreachableReports += o.unreachableReports
        crashes += o.crashes; crashesAfterPersist += o.crashesAfterPersist; restarts += o.restarts
        electionCrashes += o.electionCrashes; quickRestarts += o.quickRestarts
        restartsReplaying += o.restartsReplaying; entriesReplayed += o.entriesReplayed
        crashesLosingAppliedState += o.crashesLosingAppliedState
        crashesLosingStorageWork += o.crashesLosingStorageWork; storageWorkLost += o.storageWorkLost
        storageWritesDelayed += o.storageWritesDelayed
        writesProposed += o.writesProposed; writesRetried += o.writesRetried
        writesAcknowledged += o.writesAcknowledged; proposalsDropped += o.proposalsDropped
        readsIssued += o.readsIssued; readsServed += o.readsServed; leaseAnomalies += o.leaseAnomalies
        if firstLeaseAnomaly == nil { firstLeaseAnomaly = o.firstLeaseAnomaly }
        confChangesProposed += o.confChangesProposed; confChangesApplied += o.confChangesApplied
        confChangesRefused += o.confChangesRefused; jointEntered += o.jointEntered; jointLeft += o.jointLeft
        votersAdded += o.votersAdded; learnersAdded += o.learnersAdded; learnersPromoted += o.learnersPromoted
        votersDemoted += o.votersDemoted; nodesRemoved += o.nodesRemoved
        transfersRequested += o.transfersRequested; compactions += o.compactions; nudges += o.nudges
        leadersElected += o.leadersElected; leaderStepDowns += o.leaderStepDowns
        snapshotsSent += o.snapshotsSent; snapshotsInstalled += o.snapshotsInstalled
        snapshotsHeld += o.snapshotsHeld
        messagesRefused += o.messagesRefused
        calmPeriods += o.calmPeriods; calmPeriodsChecked += o.calmPeriodsChecked
        membershipStalls += o.membershipStalls
        if firstMembershipStall == nil { firstMembershipStall = o.firstMembershipStall }
        maxTicksToLeader = max(maxTicksToLeader, o.maxTicksToLeader)
        maxElectionTimeoutsToLeader = max(maxElectionTimeoutsToLeader, o.maxElectionTimeoutsToLeader)
        maxTicksToAcknowledge = max(maxTicksToAcknowledge, o.maxTicksToAcknowledge)
        maxCalmBacklog = max(maxCalmBacklog, o.maxCalmBacklog)
    }

    /// The summary of injected faults and what they exercised, a few lines per class, then an
    /// example of each kind of known etcd behaviour counted apart, if any.
    public var summary: String {
        var examples = ""
        if let e = firstLeaseAnomaly { examples += "\nfirst stale lease read: \(e)" }
        if let e = firstMembershipStall { examples += "\nfirst membership stall: \(e)" }
        return counts + examples
    }

    private var counts: String {
        """
        faults injected:
          network     \(messagesSent) messages sent, \(messagesDelivered) delivered; dropped: \(droppedAtRandom) at random, \
        \(droppedByPartition) by partitions, \(droppedNodeDown) to/from nodes that were down; \(duplicated) duplicated, \
        \(delayedLong) held back up to 3 election timeouts, \(reordered) overtaken on their link
          partitions  \(partitionsSymmetric) symmetric (\(leaderIsolations) isolating the leader), \(partitionsOneWay) one-way cuts, \
        \(heals) heals; \(unreachableReports) unreachable reports to raft
          crashes     \(crashes) (\(crashesAfterPersist) between persisting a Ready and sending it, \(electionCrashes) right \
        after persisting a vote, \(quickRestarts) others back within 3 ticks), \(restarts) restarts; \
        \(restartsReplaying) restarts replayed \(entriesReplayed) committed entries; \(crashesLosingAppliedState) lost applied \
        state past the checkpoint; \(crashesLosingStorageWork) lost \(storageWorkLost) queued storage writes
          storage     \(storageWritesDelayed) async storage writes delayed
        workload:
          writes      \(writesProposed) proposed, \(writesRetried) retried, \(writesAcknowledged) acknowledged, \
        \(proposalsDropped) proposals refused by raft
          reads       \(readsIssued) ReadIndex requests, \(readsServed) served and checked; \(leaseAnomalies) stale lease \
        reads from a deposed leader (etcd's lease window, etcd-io/raft#166)
          membership  \(confChangesProposed) conf changes proposed, \(confChangesApplied) applied (\(confChangesRefused) refused \
        at apply); \(votersAdded) voters and \(learnersAdded) learners added, \(learnersPromoted) promoted, \(votersDemoted) \
        demoted, \(nodesRemoved) removed; \(jointEntered) joint configurations entered, \(jointLeft) left
          operator    \(transfersRequested) leader transfers, \(compactions) compactions, \(nudges) campaign/forget-leader calls
        raft:
          \(leadersElected) leaders elected, \(leaderStepDowns) stepped down in their term, \(snapshotsSent) snapshots sent, \
        \(snapshotsInstalled) installed (\(snapshotsHeld) held until the apply thread caught up), \(messagesRefused) messages refused with an error
        liveness:
          \(calmPeriods) calm periods, \(calmPeriodsChecked) checked, \(membershipStalls) stalled by a removed node \
        still needed as a voter (etcd's apply-time membership changes, etcd-io/etcd#12359); slowest leader election \(maxTicksToLeader) ticks after faults stopped (at most \
        \((maxElectionTimeoutsToLeader * 10).rounded() / 10) election timeouts); slowest \
        write acknowledgement \(maxTicksToAcknowledge) ticks after faults stopped (or after its proposal); largest \
        backlog left by faults \(maxCalmBacklog) entries
        """
    }
}
