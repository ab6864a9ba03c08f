import Raft
import RaftSupport

/// A raft cluster in one process: a `Node` per member, each with a `MemoryStorage` and an
/// application loop that handles its Readies, connected by a `LocalNetwork`.
///
/// Nothing here ticks on its own: call `tick()` (or `campaign` a node) to drive time, so that
/// tests decide when elections can happen.
///
///     let cluster = try LocalCluster.start(ids: [1, 2, 3])
///     try await cluster.node(1).campaign()
///     let leader = try await cluster.waitForLeader()
///     try await cluster.node(2).propose(Array("x".utf8))
///     try await cluster.waitUntil("applied everywhere") { cluster.appliedData(3).count == 1 }
///     await cluster.stop()
///
/// etcd: no counterpart in raft itself; the application loop is what raftexample's
/// `raftNode.serveChannels` does with a `raft.Node`, and the network plays rafthttp's part.
public final class LocalCluster: Sendable {
    /// One member: its node and the storage its application persists to.
    public struct Member: Sendable {
        public let id: UInt64
        public let node: Node
        public let storage: MemoryStorage
    }

    /// Why waiting for the cluster failed.
    public struct WaitError: Error, CustomStringConvertible {
        public var description: String
    }

    /// The members' ids, in the order given.
    public let ids: [UInt64]
    public let network = LocalNetwork()
    private let members: [UInt64: Member]
    /// Called on the member's application task for every committed entry it applied, in order.
    private let onApply: @Sendable (UInt64, Entry) -> Void

    private struct State {
        var applied: [UInt64: [Entry]] = [:]
        var readStates: [UInt64: [ReadState]] = [:]
        var confStates: [UInt64: ConfState] = [:]
        var problems: [String] = []
        var loops: [Task<Void, Never>] = []
    }

    private let state = Locked(State())

    private init(members: [Member], onApply: @escaping @Sendable (UInt64, Entry) -> Void) {
        ids = members.map(\.id)
        self.members = Dictionary(uniqueKeysWithValues: members.map { ($0.id, $0) })
        self.onApply = onApply
    }

    /// Starts a brand-new cluster of `ids` (etcd's StartNode on each, all knowing all), and its
    /// application loops and network.
    ///
    /// - Parameters:
    ///   - configure: adjusts each member's configuration (its `id` says which member); the
    ///     defaults are 10 election ticks, 1 heartbeat tick, no size limits, no logging.
    ///   - onApply: sees every entry each member applies, after it was applied.
    public static func start(
        ids: [UInt64],
        configure: (inout Config) -> Void = { _ in },
        onApply: @escaping @Sendable (UInt64, Entry) -> Void = { _, _ in }
    ) throws -> LocalCluster {
        let peers = ids.map { Peer(id: $0) }
        var members: [Member] = []
        for id in ids {
            let storage = MemoryStorage()
            var config = Config(id: id, electionTick: 10, heartbeatTick: 1, storage: storage)
            config.maxSizePerMsg = noLimit
            config.logger = DiscardLogger()
            configure(&config)
            members.append(Member(id: id, node: try Node.start(config: config, peers: peers), storage: storage))
        }
        let cluster = LocalCluster(members: members, onApply: onApply)
        for m in members { cluster.network.connect(m.id, m.node) }
        let loops = members.map { m in Task { await cluster.runApplication(m) } }
        cluster.state.withLock { $0.loops = loops }
        return cluster
    }

    // MARK: - Access

    /// The member `id`. Asking for an id outside the cluster is a bug in the caller.
    public func member(_ id: UInt64) -> Member {
        guard let m = members[id] else { preconditionFailure("no member \(id) in \(ids)") }
        return m
    }

    public func node(_ id: UInt64) -> Node { member(id).node }

    public func storage(_ id: UInt64) -> MemoryStorage { member(id).storage }

    /// Every committed entry member `id` applied so far, in order.
    public func applied(_ id: UInt64) -> [Entry] { state.withLock { $0.applied[id] ?? [] } }

    /// The payloads of the normal, non-empty entries member `id` applied so far, in order (the
    /// application's data, without conf changes and the empty entries of new leaders).
    public func appliedData(_ id: UInt64) -> [[UInt8]] {
        applied(id).filter { $0.type == .entryNormal && !$0.data.isEmpty }.map(\.data)
    }

    /// The read states member `id` received so far.
    public func readStates(_ id: UInt64) -> [ReadState] { state.withLock { $0.readStates[id] ?? [] } }

    /// The membership after the last conf change member `id` applied, if any.
    public func confState(_ id: UInt64) -> ConfState? { state.withLock { $0.confStates[id] } }

    /// What went wrong in the application loops (an entry that failed to apply, a storage error);
    /// empty when all is well.
    public var problems: [String] { state.withLock { $0.problems } }

    // MARK: - Driving

    /// Ticks every running member once.
    public func tick() async {
        for id in ids { try? await node(id).tick() }
    }

    /// The member every running member (other than isolated ones) names as leader, and which
    /// itself leads; nil when they do not agree yet.
    public func agreedLeader(among group: [UInt64]? = nil) async -> UInt64? {
        var lead: UInt64?
        for id in group ?? ids {
            guard let st = try? await node(id).status() else { continue }
            if st.softState.lead == PeerID.none { return nil }
            if let l = lead, l != st.softState.lead { return nil }
            lead = st.softState.lead
        }
        guard let l = lead, members[l] != nil,
            let st = try? await node(l).status(), st.softState.raftState == .leader
        else { return nil }
        return l
    }

    /// Waits until `group` (every member when nil) agrees on a leader, and returns it. With
    /// `ticking`, ticks every member between looks, so that elections happen by timeout.
    public func waitForLeader(
        among group: [UInt64]? = nil, ticking: Bool = false,
        timeout: Duration = .seconds(60)
    ) async throws -> UInt64 {
        var found: UInt64?
        try await waitUntil("a leader", ticking: ticking, timeout: timeout) {
            found = await self.agreedLeader(among: group)
            return found != nil
        }
        guard let found else { throw WaitError(description: "no leader") }
        return found
    }

    /// Polls `condition` until it holds. The timeout only turns a hang into a failure: it is
    /// not a statement about speed, so keep it generous.
    public func waitUntil(
        _ what: String, ticking: Bool = false, timeout: Duration = .seconds(60),
        _ condition: () async throws -> Bool
    ) async throws {
        try await RaftTesting.waitUntil(
            "\(what); problems: \(problems)", timeout: timeout,
            between: { if ticking { await tick() } }, condition)
    }

    /// Stops every node, then the network, and returns once every loop has ended.
    public func stop() async {
        for id in ids { await node(id).stop() }
        await network.close()
        for loop in state.withLock({ $0.loops }) { await loop.value }
    }

    // MARK: - The application

    /// Member `m`'s application: handles each Ready until the node stops.
    private func runApplication(_ m: Member) async {
        do {
            for await rd in m.node.readies {
                try await handle(rd, on: m)
            }
        } catch RaftError.stopped {
            // Stopped while handling a Ready: nothing more to do.
        } catch {
            note("\(m.id): \(error)")
        }
    }

    /// The application's side of the Ready contract (see `Ready`), in its order.
    ///
    /// etcd: the body of the Ready case in raftexample's `serveChannels`.
    private func handle(_ rd: Ready, on m: Member) async throws {
        // 1. Persist: the messages below may promise this state (votes, acknowledgements).
        try m.storage.persist(rd)
        // 2. Send, now that what they promise is stored.
        network.send(rd.messages)
        // 3. Apply the committed entries, in order, and take note of the answered reads.
        for e in rd.committedEntries { try await apply(e, on: m) }
        if !rd.readStates.isEmpty {
            state.withLock { $0.readStates[m.id, default: []] += rd.readStates }
        }
        // 4. Advance: only now may raft build the next Ready.
        try await m.node.advance()
    }

    /// Applies one committed entry: conf changes go to raft (the application may reject one by
    /// not applying it; an entry that does not decode is rejected that way), data to the log of
    /// what was applied.
    private func apply(_ e: Entry, on m: Member) async throws {
        var cc: (any ConfChangeI)?
        do {
            switch e.type {
            case .entryNormal: break
            case .entryConfChange: cc = try ConfChange(unmarshaling: e.data)
            case .entryConfChangeV2: cc = try ConfChangeV2(unmarshaling: e.data)
            }
        } catch {
            note("\(m.id): rejected conf change at \(e.index): \(error)")
        }
        if let cc {
            do {
                let cs = try await m.node.applyConfChange(cc)
                state.withLock { $0.confStates[m.id] = cs }
            } catch {
                guard case .confChange(let reason) = error else { throw error }
                note("\(m.id): rejected conf change at \(e.index): \(reason)")
            }
        }
        state.withLock { $0.applied[m.id, default: []].append(e) }
        onApply(m.id, e)
    }

    private func note(_ problem: String) {
        state.withLock { $0.problems.append(problem) }
    }
}
