/// A raft node safe to use from many tasks at once: the thread-safe face of `RawNode`.
///
/// etcd runs a `RawNode` on one goroutine and funnels every call through channels into a single
/// `select` loop, so that raft only ever sees one event at a time. An actor gives the same
/// guarantee directly: every method below runs on the node's own executor, one at a time, and
/// the channels become ordinary `async` calls.
///
/// The application's loop reads `readies`, handles each `Ready` (see `Ready` for the contract),
/// and calls `advance()`; elsewhere it calls `tick()` on a timer, `step(_:)` for every message
/// from the network, and `propose(_:)` for client requests.
///
///     let node = try Node.start(config: config, peers: [Peer(id: 1), Peer(id: 2), Peer(id: 3)])
///     Task {
///         for await rd in node.readies {
///             try storage.save(rd.hardState, rd.entries, rd.snapshot)
///             transport.send(rd.messages)
///             apply(rd.committedEntries)
///             await node.advance()
///         }
///     }
///     try await node.propose(Array("x=1".utf8))
///
/// etcd: `raft.Node` (the interface) and `node` (its implementation, `node.run`).
public actor Node {
    private let rawNode: RawNode
    /// Whether `stop()` was called; every later call throws `RaftError.stopped`.
    private var stopped = false
    /// The leader as last observed, to notice changes (etcd's `lead` in `node.run`).
    private var observedLead: UInt64 = PeerID.none
    /// Whether proposals can go to raft now: a leader is known and this node was not removed.
    /// While false, proposals wait, as etcd's `propc` is disabled.
    private var acceptsProposals = false
    /// Proposals waiting for `acceptsProposals`, by ticket.
    private var proposalWaiters: [Int: CheckedContinuation<Void, any Error>] = [:]
    private var nextTicket = 0
    /// The consumer of `readies` waiting for the next Ready.
    private var readyWaiter: CheckedContinuation<Ready?, Never>?
    /// Whether a Ready was handed out and `advance()` has not been called yet.
    private var awaitingAdvance = false

    private var logger: any Logger { rawNode.raft.logger }

    private init(rawNode: RawNode) {
        self.rawNode = rawNode
    }

    /// Starts a brand-new node whose initial membership is `peers` (one committed
    /// `ConfChangeAddNode` entry each).
    ///
    /// etcd: `StartNode`.
    public static func start(config: Config, peers: [Peer]) throws -> Node {
        let rn = try RawNode(config: config)
        do { try rn.bootstrap(peers) } catch {
            rn.raft.logger.warning("error occurred during starting a new node: \(error)")
        }
        return Node(rawNode: rn)
    }

    /// Restarts a node from what its storage holds (hard state, log, membership). Set
    /// `config.applied` to the last index the application's state machine has applied.
    ///
    /// etcd: `RestartNode`.
    public static func restart(config: Config) throws -> Node {
        Node(rawNode: try RawNode(config: config))
    }

    // MARK: - Time and elections

    /// Advances the logical clock by one tick.
    ///
    /// etcd: `Node.Tick`.
    public func tick() {
        guard !stopped else { return }
        rawNode.tick()
        didChange()
    }

    /// Starts an election.
    ///
    /// etcd: `Node.Campaign`.
    public func campaign() throws {
        try checkRunning()
        try? rawNode.raft.step(Message(type: .msgHup))
        didChange()
    }

    /// Makes a follower forget its leader so it can vote for another sooner.
    ///
    /// etcd: `Node.ForgetLeader`.
    public func forgetLeader() throws {
        try checkRunning()
        try? rawNode.raft.step(Message(type: .msgForgetLeader))
        didChange()
    }

    /// Asks `lead` to hand leadership to `transferee`.
    ///
    /// etcd: `Node.TransferLeadership`.
    public func transferLeadership(lead: UInt64, transferee: UInt64) throws {
        try checkRunning()
        try? rawNode.raft.step(Message(type: .msgTransferLeader, to: lead, from: transferee))
        didChange()
    }

    // MARK: - Proposals

    /// Proposes `data` for the log and returns once raft accepted it for replication (not once it
    /// committed: watch the committed entries for that). Waits while no leader is known.
    ///
    /// - Throws: `RaftError.proposalDropped` when raft refused it (retry, perhaps later),
    ///   `RaftError.stopped`, or `CancellationError` when the calling task is cancelled.
    ///
    /// etcd: `Node.Propose`.
    public func propose(_ data: [UInt8]) async throws {
        try await waitForLeader()
        defer { didChange() }
        try rawNode.raft.step(Message(type: .msgProp, from: rawNode.raft.id, entries: [Entry(data: data)]))
    }

    /// Proposes a membership change; apply it with `applyConfChange` once committed. Like etcd, a
    /// refusal is not reported: watch the committed entries.
    ///
    /// etcd: `Node.ProposeConfChange`.
    public func proposeConfChange(_ cc: any ConfChangeI) async throws {
        try await stepProposal(confChangeToMessage(cc))
    }

    /// Applies a committed conf change and returns the new membership.
    ///
    /// - Throws: `ConfChangeError` for a change invalid in the current configuration,
    ///   `RaftError.stopped`.
    ///
    /// etcd: `Node.ApplyConfChange`.
    public func applyConfChange(_ cc: any ConfChangeI) throws -> ConfState {
        try checkRunning()
        let wasMember = rawNode.raft.trk.progress[rawNode.raft.id] != nil
        let cs = try rawNode.applyConfChange(cc)
        // A node removed from the configuration stops taking proposals, as etcd blocks its
        // proposal channel; one that is a member without knowing it yet is not blocked.
        if wasMember && rawNode.raft.trk.progress[rawNode.raft.id] == nil
            && !cs.voters.contains(rawNode.raft.id) && !cs.votersOutgoing.contains(rawNode.raft.id) {
            acceptsProposals = false
        }
        didChange()
        return cs
    }

    // MARK: - Messages and reads

    /// Feeds a message from another node. Local-only messages are ignored, as are responses from
    /// nodes outside the configuration. A forwarded proposal waits while no leader is known.
    ///
    /// etcd: `Node.Step`.
    public func step(_ m: Message) async throws {
        try checkRunning()
        if m.type.isLocal && !PeerID.isLocalTarget(m.from) { return }
        if m.type == .msgProp {
            try await stepProposal(m)
            return
        }
        if m.type.isResponse && !PeerID.isLocalTarget(m.from) && rawNode.raft.trk.progress[m.from] == nil {
            return
        }
        do { try rawNode.raft.step(m) } catch {
            logger.debug("\(hex(rawNode.raft.id)) ignored \(m.type) from \(hex(m.from)): \(error)")
        }
        didChange()
    }

    /// Requests a linearizable read point; the answer arrives as a `ReadState` carrying `context`
    /// in a later Ready. Requests can be lost (for instance when leadership changes): retry on a
    /// timeout.
    ///
    /// etcd: `Node.ReadIndex`.
    public func readIndex(_ context: [UInt8]) throws {
        try checkRunning()
        rawNode.readIndex(context)
        didChange()
    }

    /// Reports that the last message to `id` could not be delivered.
    ///
    /// etcd: `Node.ReportUnreachable`.
    public func reportUnreachable(_ id: UInt64) {
        guard !stopped else { return }
        rawNode.reportUnreachable(id)
        didChange()
    }

    /// Reports how sending a snapshot to `id` went.
    ///
    /// etcd: `Node.ReportSnapshot`.
    public func reportSnapshot(_ id: UInt64, status: SnapshotStatus) {
        guard !stopped else { return }
        rawNode.reportSnapshot(id, status: status)
        didChange()
    }

    /// The node's status.
    ///
    /// etcd: `Node.Status`.
    public func status() throws -> Status {
        try checkRunning()
        return rawNode.status()
    }

    // MARK: - Ready and Advance

    /// The Readies, one at a time: the next one comes only after `advance()` (unless storage writes
    /// are asynchronous). The sequence ends when the node stops. Iterate it from one task only.
    ///
    /// etcd: `Node.Ready`.
    public nonisolated var readies: Readies { Readies(node: self) }

    /// Tells raft the last Ready was handled.
    ///
    /// etcd: `Node.Advance`.
    public func advance() {
        guard awaitingAdvance, !stopped else { return }
        awaitingAdvance = false
        rawNode.advance(Ready())
        didChange()
    }

    /// Stops the node: waiting calls throw `RaftError.stopped`, `readies` ends, and every later
    /// call throws `RaftError.stopped`. Stopping twice is harmless.
    ///
    /// etcd: `Node.Stop`.
    public func stop() {
        guard !stopped else { return }
        stopped = true
        for (_, waiter) in proposalWaiters { waiter.resume(throwing: RaftError.stopped) }
        proposalWaiters = [:]
        readyWaiter?.resume(returning: nil)
        readyWaiter = nil
    }

    /// The next Ready, or nil once stopped (or when the waiting task is cancelled).
    fileprivate func nextReady() async -> Ready? {
        if stopped || readyWaiter != nil { return nil }
        if let rd = takeReady() { return rd }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (c: CheckedContinuation<Ready?, Never>) in
                if Task.isCancelled || stopped {
                    c.resume(returning: nil)
                } else {
                    readyWaiter = c
                }
            }
        } onCancel: {
            Task { await self.cancelReadyWaiter() }
        }
    }

    private func cancelReadyWaiter() {
        readyWaiter?.resume(returning: nil)
        readyWaiter = nil
    }

    /// Hands out a Ready if one is due and the previous one was advanced.
    private func takeReady() -> Ready? {
        guard !stopped, !awaitingAdvance, rawNode.hasReady() else { return nil }
        let rd = rawNode.ready()
        if !rawNode.asyncStorageWrites { awaitingAdvance = true }
        return rd
    }

    // MARK: - Plumbing

    private func checkRunning() throws(RaftError) {
        if stopped { throw .stopped }
    }

    /// Steps a proposal message (with no result to wait for), once a leader is known.
    private func stepProposal(_ m: Message) async throws {
        try await waitForLeader()
        var m = m
        m.from = rawNode.raft.id
        do { try rawNode.raft.step(m) } catch {
            logger.debug("\(hex(rawNode.raft.id)) dropped proposal: \(error)")
        }
        didChange()
    }

    /// Suspends until proposals are accepted (a leader is known), the node stops, or the task is
    /// cancelled.
    private func waitForLeader() async throws {
        while true {
            try checkRunning()
            try Task.checkCancellation()
            if acceptsProposals { return }
            let ticket = nextTicket
            nextTicket += 1
            try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { (c: CheckedContinuation<Void, any Error>) in
                    if Task.isCancelled {
                        c.resume(throwing: CancellationError())
                    } else if stopped {
                        c.resume(throwing: RaftError.stopped)
                    } else {
                        proposalWaiters[ticket] = c
                    }
                }
            } onCancel: {
                Task { await self.cancelProposalWaiter(ticket) }
            }
        }
    }

    private func cancelProposalWaiter(_ ticket: Int) {
        proposalWaiters.removeValue(forKey: ticket)?.resume(throwing: CancellationError())
    }

    /// After anything that may have changed raft's state: notice leader changes (and let waiting
    /// proposals go), and hand a Ready to a waiting consumer.
    ///
    /// etcd: the top of the loop in `node.run`.
    private func didChange() {
        let r = rawNode.raft
        if observedLead != r.lead {
            if r.hasLeader {
                if observedLead == PeerID.none {
                    logger.info("raft.node: \(hex(r.id)) elected leader \(hex(r.lead)) at term \(r.term)")
                } else {
                    logger.info("raft.node: \(hex(r.id)) changed leader from \(hex(observedLead)) to \(hex(r.lead)) at term \(r.term)")
                }
                acceptsProposals = true
                let waiters = proposalWaiters
                proposalWaiters = [:]
                for (_, waiter) in waiters { waiter.resume() }
            } else {
                logger.info("raft.node: \(hex(r.id)) lost leader \(hex(observedLead)) at term \(r.term)")
                acceptsProposals = false
            }
            observedLead = r.lead
        }
        if let waiter = readyWaiter, let rd = takeReady() {
            readyWaiter = nil
            waiter.resume(returning: rd)
        }
    }

    /// The Readies of a node, as an async sequence.
    public struct Readies: AsyncSequence, Sendable {
        public typealias Element = Ready
        let node: Node

        public struct AsyncIterator: AsyncIteratorProtocol {
            let node: Node
            public mutating func next() async -> Ready? { await node.nextReady() }
        }

        public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(node: node) }
    }
}
