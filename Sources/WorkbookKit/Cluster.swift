import Raft

/// A whole raft cluster in one process, driven step by step: the scenario driver every chapter
/// uses.
///
/// Each member is a `Server` (a `RawNode` with its application). Nothing runs by itself: the
/// scenario ticks clocks, makes requests, and moves Readies and messages along (`stabilize`), and
/// every step is written to the `trace`. Election timeouts come from seeded generators (the seed is
/// one of the run's options, which the trace carries), so a run prints the same every time.
///
///     let cluster = try Cluster(voters: [1, 2, 3], trace: trace)
///     try cluster.campaign(1)
///     try cluster.stabilize()
///     try cluster.propose(1, "x=1")
///     try cluster.stabilize()
public final class Cluster {
    /// How a new cluster gets its initial membership.
    public enum Bootstrap: Sendable {
        /// Each storage starts from a snapshot at `index` (term 1) whose `ConfState` lists the
        /// voters: the way etcd recommends, and its tests use.
        case snapshot(index: UInt64)
        /// Each node writes one committed `ConfChangeAddNode` entry per voter into its empty log
        /// (`RawNode.bootstrap`, what etcd's `StartNode` does).
        case confChangeEntries
    }

    /// How much of each Ready the narration shows.
    public enum Detail: Sendable {
        /// Messages as they are delivered; Readies only through their effects.
        case messages
        /// Every Ready as raft describes it (`Ready.describe()`), and lost messages.
        case readies
        /// Every Ready, and each of the four steps of handling it.
        case steps
    }

    public let trace: Trace
    public var detail: Detail = .messages
    /// Whether messages the network drops appear (narrated and drawn). A scenario turns this off
    /// for a long partition, where every tick would add lost heartbeats, and keeps the rest of
    /// the story visible. `--verbose` shows them anyway.
    public var showsLostMessages = true
    public internal(set) var servers: [UInt64: Server] = [:]
    var network = Network()
    /// Scenario-specific settings applied to every node's `Config`.
    private let configure: (inout Config) -> Void
    /// Numbers the read requests, to make their contexts unique.
    var readsRequested = 0

    /// Starts one node per voter, each a follower at term 0 that knows the membership.
    public init(voters: [UInt64], bootstrap: Bootstrap = .snapshot(index: 1), trace: Trace,
                configure: @escaping (inout Config) -> Void = { _ in }) throws {
        self.trace = trace
        self.configure = configure
        for id in voters { trace.join(id) }
        try trace.quietly {
            for id in voters {
                let memory = MemoryStorage()
                var confState = ConfState()
                var applied: UInt64 = 0
                if case .snapshot(let index) = bootstrap {
                    confState = ConfState(voters: voters)
                    applied = index
                    try memory.applySnapshot(Snapshot(metadata: SnapshotMetadata(confState: confState, index: index, term: 1)))
                }
                let server = try makeServer(id, memory: memory, applied: applied, store: KeyValueStore(), confState: confState)
                if case .confChangeEntries = bootstrap {
                    try server.rawNode.bootstrap(voters.map { Peer(id: $0) })
                }
                servers[id] = server
            }
        }
    }

    /// The members' ids, in order: everything is done in this order, so runs repeat exactly.
    public var ids: [UInt64] { servers.keys.sorted() }

    public func server(_ id: UInt64) throws(WorkbookError) -> Server {
        guard let s = servers[id] else { throw .unknownNode(id) }
        return s
    }

    /// A node with its configuration: the scenario's settings over the run's options
    /// (`trace.options`: the seeded random generator) over a common base (10-tick elections,
    /// 1-tick heartbeats, no message size limit, raft's log into the trace).
    func makeServer(_ id: UInt64, memory: MemoryStorage, applied: UInt64, store: KeyValueStore,
                    confState: ConfState) throws -> Server {
        let raftView = ObservedStorage(memory)
        var config = Config(id: id, electionTick: 10, heartbeatTick: 1, storage: raftView)
        config.applied = applied
        // No size limits unless a scenario sets them. (Left at 0, maxSizePerMsg would also cap the
        // committed entries handed out per Ready at 0 bytes, which stops applying altogether.)
        config.maxSizePerMsg = noLimit
        config.logger = TraceLogger(trace: trace)
        trace.options.configure(&config)
        configure(&config)
        return try Server(config: config, raftView: raftView, store: store, confState: confState, trace: trace)
    }

    // MARK: - The network

    /// Cuts node `id` off from every other node; messages to or from it are lost.
    public func isolate(_ id: UInt64) {
        network.isolated.insert(id)
        trace.say("-- node \(id) is cut off from the others")
    }

    /// Reconnects every node.
    public func heal() {
        network.isolated = []
        trace.say("-- the network is whole again")
    }
}
