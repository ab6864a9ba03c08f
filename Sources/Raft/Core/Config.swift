/// How linearizable reads (`readIndex`) are confirmed.
///
/// etcd: `ReadOnlyOption`.
public enum ReadOnlyOption: Sendable, Hashable {
    /// The leader confirms it still leads by a round of heartbeats acknowledged by a quorum. Safe
    /// whatever the clocks do; the default.
    case safe
    /// The leader trusts its lease: no heartbeat round, but correct only while clock drift is
    /// bounded. Requires `checkQuorum`.
    case leaseBased
}

/// A configuration that `RawNode` refuses, with etcd's message.
public struct ConfigError: Error, Sendable, Hashable, CustomStringConvertible {
    public var description: String
    package init(_ description: String) { self.description = description }
}

/// Everything needed to start a raft node.
///
///     var config = Config(id: 1, electionTick: 10, heartbeatTick: 1, storage: storage)
///     config.preVote = true
///     config.checkQuorum = true
///     let node = try RawNode(config: config)
///
/// etcd: `raft.Config`.
public struct Config: Sendable {
    /// This node's id; not 0, and not one of the local storage-thread ids.
    public var id: UInt64
    /// Ticks without hearing from a leader before a follower campaigns. Must exceed `heartbeatTick`;
    /// ten times it is a good choice. The actual timeout is randomized in
    /// `[electionTick, 2 * electionTick)` so that followers rarely campaign at once.
    public var electionTick: Int
    /// Ticks between a leader's heartbeats.
    public var heartbeatTick: Int
    /// Where raft reads the durable log and state from.
    public var storage: any Storage
    /// The last index the application has applied, when restarting. Raft will not hand out
    /// committed entries at or below it again.
    public var applied: UInt64 = 0
    /// Persist and apply through messages to local storage threads (`msgStorageAppend`,
    /// `msgStorageApply`) instead of the Ready/Advance calls, so writes can be pipelined.
    public var asyncStorageWrites = false
    /// The most bytes of entries (in encoded size) per append message; 0 means one entry per
    /// message, `noLimit` means no limit. Defaults to 1 MiB (etcd has no default: its zero value
    /// means one entry per message).
    public var maxSizePerMsg: UInt64 = 1 << 20
    /// The most bytes of committed entries handed out for applying and not yet acknowledged;
    /// 0 means "same as `maxSizePerMsg`", and one entry at a time when that is 0 too.
    public var maxCommittedSizePerReady: UInt64 = 0
    /// The most bytes of payload a leader keeps uncommitted before it drops proposals; 0 is no limit.
    public var maxUncommittedEntriesSize: UInt64 = 0
    /// The most append messages in flight to one follower while replicating.
    public var maxInflightMsgs = 256
    /// The most bytes of payload in flight to one follower; 0 is no limit.
    public var maxInflightBytes: UInt64 = 0
    /// A leader steps down when it has not heard from a quorum for an election timeout; followers
    /// then also ignore votes while they believe in a live leader (its lease).
    public var checkQuorum = false
    /// Run a pre-election first, so a node that was partitioned away cannot disrupt the cluster
    /// by raising the term (Raft thesis §9.6).
    public var preVote = false
    /// How reads are confirmed; `.leaseBased` needs `checkQuorum`.
    public var readOnlyOption: ReadOnlyOption = .safe
    /// Followers drop proposals instead of forwarding them to the leader.
    public var disableProposalForwarding = false
    /// Skip the leader's propose-time checks of conf changes against the active configuration.
    /// Only for applications that validate conf changes themselves.
    public var disableConfChangeValidation = false
    /// A leader removed from (or demoted in) the configuration steps down.
    public var stepDownOnRemoval = false
    /// Where raft writes its log lines; `DefaultLogger()` when nil.
    public var logger: (any Logger)?
    /// The source of randomness for election timeouts; the system generator when nil. Inject a
    /// seeded generator for runs that replay exactly.
    public var randomNumberGenerator: (any RandomNumberGenerator & Sendable)?
    /// The learner's pieces of raft to run in place of the library's (the workbook's judge sets
    /// them); nil, the default, runs the library's own code everywhere. See `Parts`.
    package var parts: Parts?

    /// A configuration with the four settings that have no default; every other setting keeps
    /// its default (etcd's zero values, and a window of 256 in-flight messages). `RawNode` and `Node`
    /// check it when they start.
    public init(id: UInt64, electionTick: Int, heartbeatTick: Int, storage: any Storage) {
        self.id = id
        self.electionTick = electionTick
        self.heartbeatTick = heartbeatTick
        self.storage = storage
    }

    /// Checks the configuration and fills in the defaults etcd fills in.
    ///
    /// etcd: `Config.validate`.
    package mutating func validate() throws(ConfigError) {
        if id == PeerID.none { throw ConfigError("cannot use none as id") }
        if PeerID.isLocalTarget(id) { throw ConfigError("cannot use local target as id") }
        if heartbeatTick <= 0 { throw ConfigError("heartbeat tick must be greater than 0") }
        if electionTick <= heartbeatTick { throw ConfigError("election tick must be greater than heartbeat tick") }
        if maxUncommittedEntriesSize == 0 { maxUncommittedEntriesSize = noLimit }
        if maxCommittedSizePerReady == 0 { maxCommittedSizePerReady = maxSizePerMsg }
        // With maxSizePerMsg also 0, etcd keeps 0 and panics at the first committed entry (no
        // room to hand out anything). 0 means one entry per message for maxSizePerMsg; here it
        // means one committed entry per Ready: a budget of 1 byte hands out one entry at a time.
        if maxCommittedSizePerReady == 0 { maxCommittedSizePerReady = 1 }
        if maxInflightMsgs <= 0 { throw ConfigError("max inflight messages must be greater than 0") }
        if maxInflightBytes == 0 {
            maxInflightBytes = noLimit
        } else if maxInflightBytes < maxSizePerMsg {
            throw ConfigError("max inflight bytes must be >= max message size")
        }
        if logger == nil { logger = DefaultLogger() }
        if readOnlyOption == .leaseBased && !checkQuorum {
            throw ConfigError("CheckQuorum must be enabled when ReadOnlyOption is ReadOnlyLeaseBased")
        }
    }
}
