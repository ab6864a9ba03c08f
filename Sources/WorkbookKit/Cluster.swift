import Raft

/// A whole raft cluster in one process, driven step by step: the scenario driver every chapter
/// uses.
///
/// Each member is a `Server` (a `RawNode` with its application). Nothing runs by itself: the
/// scenario ticks clocks, makes requests, and moves Readies and messages along (`stabilize`), and
/// every step is written to the `trace`. Election timeouts come from seeded generators, so a run
/// prints the same every time.
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
    public private(set) var servers: [UInt64: Server] = [:]
    var network = Network()
    /// Scenario-specific settings applied to every node's `Config`.
    private let configure: (inout Config) -> Void
    private var readsRequested = 0

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

    /// A node with its configuration: the scenario's settings over a common base (10-tick
    /// elections, 1-tick heartbeats, no message size limit, a seeded random generator, raft's log
    /// into the trace).
    func makeServer(_ id: UInt64, memory: MemoryStorage, applied: UInt64, store: KeyValueStore,
                    confState: ConfState) throws -> Server {
        let raftView = ObservedStorage(memory)
        var config = Config(id: id, electionTick: 10, heartbeatTick: 1, storage: raftView)
        config.applied = applied
        // No size limits unless a scenario sets them. (Left at 0, maxSizePerMsg would also cap the
        // committed entries handed out per Ready at 0 bytes, which stops applying altogether.)
        config.maxSizePerMsg = noLimit
        config.randomNumberGenerator = SeededGenerator(seed: id)
        config.logger = TraceLogger(trace: trace)
        configure(&config)
        return try Server(config: config, raftView: raftView, store: store, confState: confState, trace: trace)
    }

    // MARK: - Membership of the simulation

    /// Starts a new, empty node that is not yet in anyone's configuration: it waits to hear from
    /// the leader once a conf change adds it (chapter 8).
    public func addServer(_ id: UInt64) throws {
        trace.join(id)
        servers[id] = try trace.quietly {
            try makeServer(id, memory: MemoryStorage(), applied: 0, store: KeyValueStore(), confState: ConfState())
        }
        trace.say("  node \(id) starts with an empty log and no configuration")
    }

    /// Shuts a node down for good (after a conf change removed it).
    public func removeServer(_ id: UInt64) {
        servers[id] = nil
        network.dropAll(involving: id)
        trace.say("  node \(id) shuts down")
    }

    /// Crashes node `id` and starts it again from its storage, as `RestartNode` does.
    ///
    /// Raft's own state is rebuilt from storage, but its applied index is not stored there. With
    /// `keepingApplied`, the application had saved its state machine and applied index (as a
    /// snapshot in storage, with the membership) and passes the index in `Config.applied`; without,
    /// it lost its state and raft hands every committed entry over again.
    public func restart(_ id: UInt64, keepingApplied: Bool) throws {
        let old = try server(id)
        network.dropAll(involving: id)
        var store = KeyValueStore(), applied: UInt64 = 0, confState = ConfState()
        if keepingApplied {
            _ = try old.storage.createSnapshot(old.applied, confState: old.confState, data: old.store.snapshotData)
            (store, applied, confState) = (old.store, old.applied, old.confState)
        }
        servers[id] = try trace.quietly {
            try makeServer(id, memory: old.storage, applied: applied, store: store, confState: confState)
        }
        trace.mark(id, "restarted with Config.applied = \(applied)")
    }

    /// Node `id`'s application snapshots its state at its applied index and compacts its log up to
    /// there: the entries before become unavailable, the snapshot stands in for them.
    public func compact(_ id: UInt64) throws {
        let s = try server(id)
        let snapshot = try s.storage.createSnapshot(s.applied, confState: s.confState, data: s.store.snapshotData)
        try s.storage.compact(s.applied)
        trace.say("node \(id)'s application snapshots its state at index \(snapshot.metadata.index) "
            + "(term \(snapshot.metadata.term)) and compacts its log up to there")
    }

    // MARK: - Requests

    /// Ticks node `id`'s logical clock `times` times.
    public func tick(_ id: UInt64, times: Int = 1) throws {
        let s = try server(id)
        for _ in 0..<times { s.rawNode.tick() }
    }

    /// Lets `ticks` ticks of time pass on every node, handling everything each tick causes before
    /// the next: the way a real application's timer and loops interleave.
    public func elapse(ticks: Int, holding held: Hold = .nothing) throws {
        for _ in 0..<ticks {
            for id in ids { try tick(id) }
            try stabilize(holding: held)
        }
    }

    /// Lets time pass, a tick at a time as in `elapse(ticks:)`, until `condition` holds. Returns
    /// how many ticks it took; fails the scenario after `limit` ticks.
    @discardableResult
    public func elapse(until condition: () -> Bool, limit: Int = 100, holding held: Hold = .nothing) throws -> Int {
        for ticks in 0..<limit {
            if condition() { return ticks }
            try elapse(ticks: 1, holding: held)
        }
        if condition() { return limit }
        throw WorkbookError.unexpected("still waiting after \(limit) ticks")
    }

    /// Node `id` starts an election now (with a pre-vote first when PreVote is on).
    public func campaign(_ id: UInt64) throws {
        trace.say("node \(id) campaigns")
        try server(id).rawNode.campaign()
    }

    /// A client proposes `command` (`key=value`) to node `id`. Returns whether raft accepted it for
    /// replication; a refused proposal is narrated, and it is the client's job to retry.
    @discardableResult
    public func propose(_ id: UInt64, _ command: String) throws -> Bool {
        do {
            try server(id).rawNode.propose(Array(command.utf8))
            trace.say("client -> node \(id): propose \(command)")
            return true
        } catch let error as RaftError {
            trace.say("client -> node \(id): propose \(command) -- refused: \(error)")
            return false
        }
    }

    /// Proposes a membership change through node `id`.
    public func proposeConfChange(_ id: UInt64, _ cc: any ConfChangeI) throws {
        trace.say("node \(id) proposes a conf change: \(cc.asV2().changes.map(Server.changeText).joined(separator: " "))")
        try server(id).rawNode.proposeConfChange(cc)
    }

    /// A client asks node `id` for a linearizable read of `key`. Returns the request's context,
    /// `key:N`, which comes back in the read state that answers it.
    @discardableResult
    public func read(_ id: UInt64, key: String) throws -> String {
        readsRequested += 1
        let context = "\(key):\(readsRequested)"
        trace.say("client -> node \(id): read \(key) (ReadIndex, context \"\(context)\")")
        try server(id).rawNode.readIndex(Array(context.utf8))
        return context
    }

    /// Asks leader `leader` to hand leadership to `transferee`.
    public func transferLeadership(from leader: UInt64, to transferee: UInt64) throws {
        trace.say("node \(leader) is asked to transfer leadership to node \(transferee)")
        try server(leader).rawNode.transferLeader(transferee)
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

    /// How many messages are in flight (sent, neither delivered nor lost yet).
    public var messagesInFlight: Int { network.inFlight.count }
}
