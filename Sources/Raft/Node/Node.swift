/// A raft node safe to use from many tasks at once: the thread-safe face of `RawNode`.
///
/// etcd runs a `RawNode` on one goroutine and funnels every call through channels into a single
/// `select` loop, so that raft only ever sees one event at a time. An actor gives the same
/// guarantee directly: every method below runs on the node's own executor, one at a time, and
/// the channels become ordinary `async` calls. The only calls that wait are the ones that wait in
/// etcd too: a proposal while no leader is known, and the consumer of `readies` while there is
/// nothing to do (or the last Ready was not advanced yet). Both end when their task is cancelled
/// (etcd's `ctx.Done()`) or the node stops.
///
/// The application's loop reads `readies`, handles each `Ready` in the order its documentation
/// gives (persist, send, apply), and calls `advance()`; elsewhere it calls `tick()` on a timer,
/// `step(_:)` for every message from the network, and `propose(_:)` for client requests.
///
///     let node = try Node.start(config: config, peers: [Peer(id: 1), Peer(id: 2), Peer(id: 3)])
///     Task {
///         for await rd in node.readies {
///             try storage.append(rd.entries)
///             if !rd.hardState.isEmpty { storage.setHardState(rd.hardState) }
///             transport.send(rd.messages)
///             try await apply(rd.committedEntries)   // conf changes: node.applyConfChange
///             try await node.advance()
///         }
///     }
///     try await node.propose(Array("x=1".utf8))
///
/// Every call made after `stop()` throws `RaftError.stopped` (where etcd's `Status` returns an
/// empty status instead), so that loops driving a node end by themselves once it stops.
///
/// etcd: `raft.Node` (the interface) and `node` (its implementation, `node.run`).
public actor Node {
    private let rawNode: RawNode
    /// Whether `stop()` was called; every later call throws `RaftError.stopped`.
    private var stopped = false
    /// What the loop remembers between events: the leader it last saw, whether proposals may go
    /// to raft, whether a Ready is out.
    private var loop = NodeLoop()
    /// Proposals waiting for `acceptsProposals`, oldest first, so that they reach raft in the
    /// order they started waiting.
    private var proposalWaiters: [Waiter<CheckedContinuation<Void, any Error>>] = []
    /// Consumers of `readies` waiting for a Ready, oldest first; each Ready goes to one of them
    /// (as each value of etcd's `readyc` goes to one receiver).
    private var readyWaiters: [Waiter<CheckedContinuation<Ready?, Never>>] = []
    /// Identifies waiters, so that a cancellation handler finds its own waiter (or nothing, when
    /// the waiter was resumed meanwhile).
    private var nextTicket = 0
    /// Snapshots that arrived while the application was still applying the committed entries of
    /// the outstanding Ready; stepped at `advance()`. Restoring one earlier would let the older
    /// conf changes the application is applying land on top of the snapshot's membership
    /// (etcd-io/etcd#11510; see Notes/design-decisions.md).
    private var heldSnapshots: [Message] = []
    private var logger: any Logger { rawNode.raft.logger }

    private init(rawNode: RawNode) {
        self.rawNode = rawNode
    }

    /// Starts a brand-new node whose initial membership is `peers` (one committed
    /// `ConfChangeAddNode` entry each, which the first Ready hands out to persist and apply).
    ///
    /// - Throws: `.config` for an invalid configuration, `.bootstrap` when `peers` is empty (use
    ///   `restart(config:)`), `.storage` and `.confChange` as `RawNode(config:)` throws them.
    ///   Like etcd, a storage that is not empty only earns a warning: the node then starts from
    ///   what it holds.
    ///
    /// etcd: `StartNode`.
    public static func start(config: Config, peers: [Peer]) throws(RaftError) -> Node {
        guard !peers.isEmpty else {
            throw .bootstrap(BootstrapError(description: "no peers given; use RestartNode instead"))
        }
        let rn = try RawNode(config: config)
        do { try rn.bootstrap(peers) } catch {
            rn.raft.logger.warning("error occurred during starting a new node: \(error)")
        }
        return Node(rawNode: rn)
    }

    /// Restarts a node from what its storage holds (hard state, log, membership). Set
    /// `config.applied` to the last index the application's state machine has applied, or 0.
    ///
    /// - Throws: as `RawNode(config:)`.
    ///
    /// etcd: `RestartNode`.
    public static func restart(config: Config) throws(RaftError) -> Node {
        Node(rawNode: try RawNode(config: config))
    }

    // MARK: - Time and elections

    /// Advances the logical clock by one tick.
    ///
    /// etcd: `Node.Tick`.
    public func tick() throws(RaftError) {
        try checkRunning()
        rawNode.tick()
        didChange()
    }

    /// Starts an election now, without waiting for the election timeout.
    ///
    /// etcd: `Node.Campaign`.
    public func campaign() throws(RaftError) {
        try stepLocally(Message(type: .msgHup))
    }

    /// Makes a follower forget its leader, so that it may grant votes sooner (see
    /// `RawNode.forgetLeader`). Proposals wait until it learns of a leader again.
    ///
    /// etcd: `Node.ForgetLeader`.
    public func forgetLeader() throws(RaftError) {
        try stepLocally(Message(type: .msgForgetLeader))
    }

    /// Asks `lead` to hand leadership to `transferee`. Nothing is reported back: watch the soft
    /// state in the Readies (or `status()`) to see whether it happened.
    ///
    /// etcd: `Node.TransferLeadership`.
    public func transferLeadership(lead: UInt64, transferee: UInt64) throws(RaftError) {
        // From and to are set by hand so that a leader can be asked to transfer voluntarily.
        try stepLocally(Message(type: .msgTransferLeader, to: lead, from: transferee))
    }

    // MARK: - Proposals

    /// Proposes `data` for the log. Waits while no leader is known (or after this node was
    /// removed from the configuration), then returns once raft accepted the proposal: appended
    /// to the leader's log, or forwarded to the leader by a follower. Accepted is not committed,
    /// and an accepted proposal can still be lost (a leader change): watch the committed entries,
    /// and retry on a timeout.
    ///
    /// - Throws: `RaftError.proposalDropped` when raft refused it (a leadership transfer is in
    ///   progress, forwarding is disabled, the uncommitted-size limit is reached); retry, perhaps
    ///   elsewhere or later. `RaftError.stopped` when the node stops first, `RaftError.cancelled`
    ///   when the calling task is cancelled first.
    ///
    /// etcd: `Node.Propose`.
    public func propose(_ data: [UInt8]) async throws(RaftError) {
        try await waitUntilProposalsAccepted()
        defer { didChange() }
        try rawNode.raft.step(Message(type: .msgProp, from: rawNode.raft.id, entries: [Entry(data: data)]))
    }

    /// Proposes a membership change; apply it with `applyConfChange` once it is committed. Waits
    /// for a leader like `propose`, but, like etcd, does not report whether raft accepted it (a
    /// conf change is dropped, for instance, while an earlier one is not applied yet): watch the
    /// committed entries.
    ///
    /// - Throws: `RaftError.stopped`, or `RaftError.cancelled` when the task is cancelled while
    ///   waiting for a leader.
    ///
    /// etcd: `Node.ProposeConfChange`.
    public func proposeConfChange(_ cc: any ConfChangeI) async throws(RaftError) {
        try await stepProposal(confChangeToMessage(cc))
    }

    /// Applies a committed conf change and returns the new membership, to record in snapshots.
    /// Call it for every committed conf change entry the application does not reject.
    ///
    /// - Throws: `.confChange` for a change invalid in the current configuration, `.stopped`.
    ///
    /// etcd: `Node.ApplyConfChange`.
    public func applyConfChange(_ cc: any ConfChangeI) throws(RaftError) -> ConfState {
        try checkRunning()
        defer { didChange() }
        let r = rawNode.raft
        let wasMember = r.trk.progress[r.id] != nil
        let cs: ConfState
        do { cs = try rawNode.applyConfChange(cc) } catch { throw .confChange(error) }
        // A node removed from the configuration stops taking proposals, as etcd disables its
        // proposal channel. Only a node that knew itself a member is blocked: one catching up on
        // the log may be a member without knowing it yet. The next leader change unblocks it
        // again, as in etcd.
        if wasMember && r.trk.progress[r.id] == nil
            && !cs.voters.contains(r.id) && !cs.votersOutgoing.contains(r.id) {
            loop.acceptsProposals = false
        }
        return cs
    }

    // MARK: - Messages and reads

    /// Feeds a message from another node (or, with async storage writes, a response from a local
    /// storage thread). Like etcd, raft's verdict on the message is not reported: local-only
    /// message types from the network and responses from nodes outside the configuration are
    /// ignored, and so is a message raft refuses. A forwarded proposal waits while no leader is
    /// known, like `proposeConfChange`.
    ///
    /// - Throws: `RaftError.stopped`, or `RaftError.cancelled` when the task is cancelled while a
    ///   forwarded proposal waits for a leader.
    ///
    /// etcd: `Node.Step`.
    public func step(_ m: Message) async throws(RaftError) {
        try checkRunning()
        if m.type.isLocal && !PeerID.isLocalTarget(m.from) { return }
        if m.type == .msgProp {
            try await stepProposal(m)
            return
        }
        if m.type.isResponse && !PeerID.isLocalTarget(m.from) && rawNode.raft.trk.progress(of: m.from) == nil {
            return
        }
        if m.type == .msgSnap && loop.awaitingAdvance && loop.applyingOutstanding {
            heldSnapshots.append(m)
            return
        }
        defer { didChange() }
        stepFromPeer(m)
    }

    private func stepFromPeer(_ m: Message) {
        do { try rawNode.step(m) } catch {
            logger.debug("\(hex(rawNode.raft.id)) ignored \(m.type) from \(hex(m.from)): \(error)")
        }
    }

    /// Requests a linearizable read point; the answer arrives as a `ReadState` carrying `context`
    /// in a later Ready. Requests can be lost (for instance when leadership changes): retry on a
    /// timeout.
    ///
    /// etcd: `Node.ReadIndex`.
    public func readIndex(_ context: [UInt8]) throws(RaftError) {
        try stepLocally(Message(type: .msgReadIndex, entries: [Entry(data: context)]))
    }

    /// Reports that the last message to `id` could not be delivered, so that the leader stops
    /// sending optimistically to it.
    ///
    /// etcd: `Node.ReportUnreachable`.
    public func reportUnreachable(_ id: UInt64) throws(RaftError) {
        try stepLocally(Message(type: .msgUnreachable, from: id))
    }

    /// Reports how sending a snapshot to `id` went. A failure must be reported: the leader does
    /// not probe a follower while a snapshot to it is pending.
    ///
    /// etcd: `Node.ReportSnapshot`.
    public func reportSnapshot(_ id: UInt64, status: SnapshotStatus) throws(RaftError) {
        try stepLocally(Message(type: .msgSnapStatus, from: id, reject: status == .failure))
    }

    /// The node's status (with every follower's progress when it leads).
    ///
    /// - Throws: `RaftError.stopped` once stopped (etcd returns an empty status).
    ///
    /// etcd: `Node.Status`.
    public func status() throws(RaftError) -> Status {
        try checkRunning()
        return rawNode.status()
    }

    // MARK: - Ready and Advance

    /// The Readies, one at a time: after handing one out, the node hands out the next only once
    /// `advance()` was called (unless storage writes are asynchronous). The sequence ends when
    /// the node stops, and for an iterator whose task is cancelled while it waits.
    ///
    /// Iterate it from one task: that loop is the application's side of the contract (see
    /// `Ready`). Should several tasks iterate at once, each Ready still goes to exactly one of
    /// them, in the order they asked, as values of a Go channel do.
    ///
    /// etcd: `Node.Ready`.
    public nonisolated var readies: Readies { Readies(node: self) }

    /// Tells raft the last Ready was handled: its state persisted, its entries applied. Only then
    /// does the node build the next Ready. Calling it when no Ready is outstanding does nothing;
    /// with async storage writes it must not be called (the storage responses take its place) and
    /// only logs an error.
    ///
    /// etcd: `Node.Advance`.
    public func advance() throws(RaftError) {
        try checkRunning()
        if rawNode.asyncStorageWrites {
            rawNode.advance(Ready()) // logs etcd's error and does nothing
            return
        }
        guard loop.awaitingAdvance else { return }
        loop.awaitingAdvance = false
        loop.applyingOutstanding = false
        // RawNode remembers what the accepted Ready needs on advance; the argument is unused.
        rawNode.advance(Ready())
        let held = heldSnapshots
        heldSnapshots = []
        for m in held { stepFromPeer(m) }
        didChange()
    }

    /// Stops the node: waiting proposals throw `RaftError.stopped`, `readies` ends, and every
    /// later call throws `RaftError.stopped`. When it returns, raft will not change any more.
    /// Stopping twice is harmless.
    ///
    /// etcd: `Node.Stop`.
    public func stop() {
        guard !stopped else { return }
        stopped = true
        let proposals = proposalWaiters
        let readies = readyWaiters
        proposalWaiters = []
        readyWaiters = []
        for w in proposals { w.continuation.resume(throwing: RaftError.stopped) }
        for w in readies { w.continuation.resume(returning: nil) }
    }

    /// The next Ready; nil once stopped, or when the waiting task is cancelled.
    fileprivate func nextReady() async -> Ready? {
        if stopped { return nil }
        // With others already waiting there is nothing to take: a Ready would have gone to them.
        if readyWaiters.isEmpty, let rd = takeReady() { return rd }
        let ticket = newTicket()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (c: CheckedContinuation<Ready?, Never>) in
                // Runs on this actor before the task suspends. A cancellation that came first is
                // seen here; one that comes later finds the waiter through its ticket.
                if Task.isCancelled {
                    c.resume(returning: nil)
                } else {
                    readyWaiters.append(Waiter(ticket: ticket, continuation: c))
                }
            }
        } onCancel: {
            Task { await self.cancelReadyWaiter(ticket) }
        }
    }

    private func cancelReadyWaiter(_ ticket: Int) {
        guard let k = readyWaiters.firstIndex(where: { $0.ticket == ticket }) else { return }
        readyWaiters.remove(at: k).continuation.resume(returning: nil)
    }

    /// Hands out a Ready if one is due and the previous one was advanced.
    private func takeReady() -> Ready? {
        guard !stopped else { return nil }
        if let yours = rawNode.raft.parts.takeReady { return yours(&loop, rawNode) }
        return loop.takeReady(rawNode)
    }

    // MARK: - Plumbing

    private func checkRunning() throws(RaftError) {
        if stopped { throw .stopped }
    }

    private func newTicket() -> Int {
        defer { nextTicket += 1 }
        return nextTicket
    }

    /// Steps a message raft makes for itself (or the application makes for it); raft's verdict is
    /// not reported, as etcd's `Node` does not report it.
    private func stepLocally(_ m: Message) throws(RaftError) {
        try checkRunning()
        defer { didChange() }
        do { try rawNode.raft.step(m) } catch {
            logger.debug("\(hex(rawNode.raft.id)) ignored \(m.type): \(error)")
        }
    }

    /// Steps a proposal message without reporting the result, once proposals are accepted.
    private func stepProposal(_ m: Message) async throws(RaftError) {
        try await waitUntilProposalsAccepted()
        defer { didChange() }
        var m = m
        // Proposals enter raft as this node's own, forwarded ones included (etcd does the same).
        m.from = rawNode.raft.id
        do { try rawNode.raft.step(m) } catch {
            logger.debug("\(hex(rawNode.raft.id)) dropped proposal: \(error)")
        }
    }

    /// Returns once proposals are accepted (a leader is known, this node was not removed); throws
    /// when the node stops or the task is cancelled first.
    private func waitUntilProposalsAccepted() async throws(RaftError) {
        while true {
            try checkRunning()
            if Task.isCancelled { throw .cancelled }
            if loop.acceptsProposals { return }
            let ticket = newTicket()
            do {
                try await withTaskCancellationHandler {
                    try await withCheckedThrowingContinuation { (c: CheckedContinuation<Void, any Error>) in
                        // Runs on this actor before the task suspends; see `nextReady`.
                        if Task.isCancelled {
                            c.resume(throwing: RaftError.cancelled)
                        } else {
                            proposalWaiters.append(Waiter(ticket: ticket, continuation: c))
                        }
                    }
                } onCancel: {
                    Task { await self.cancelProposalWaiter(ticket) }
                }
            } catch {
                // Waiters are only ever resumed with a RaftError (`.stopped`, `.cancelled`).
                throw error as? RaftError ?? .cancelled
            }
            // Woken because proposals were accepted; by the time this runs they may not be any
            // more (the leader was lost again), hence the loop.
        }
    }

    private func cancelProposalWaiter(_ ticket: Int) {
        guard let k = proposalWaiters.firstIndex(where: { $0.ticket == ticket }) else { return }
        proposalWaiters.remove(at: k).continuation.resume(throwing: RaftError.cancelled)
    }

    /// Called after everything that may have changed raft's state: notices leader changes (and
    /// lets waiting proposals go), and hands a Ready to a waiting consumer.
    ///
    /// etcd: the top of the loop in `node.run`.
    private func didChange() {
        let r = rawNode.raft
        let wake = if let yours = r.parts.observeLeader { yours(&loop, r) } else { loop.observeLeader(r) }
        if wake {
            let waiters = proposalWaiters
            proposalWaiters = []
            for w in waiters { w.continuation.resume() }
        }
        while !readyWaiters.isEmpty, let rd = takeReady() {
            readyWaiters.removeFirst().continuation.resume(returning: rd)
        }
    }

    // MARK: - For tests

    /// How many proposals wait for a leader: lets tests tell "waiting" from "not started yet".
    var waitingProposals: Int { proposalWaiters.count }
    /// How many consumers of `readies` wait for a Ready.
    var waitingReadyConsumers: Int { readyWaiters.count }

    /// A suspended call and the ticket its cancellation handler knows it by.
    private struct Waiter<Continuation> {
        let ticket: Int
        let continuation: Continuation
    }

    /// The Readies of a node, as an async sequence (see `Node.readies`).
    ///
    /// etcd: the channel `Node.Ready()` returns.
    public struct Readies: AsyncSequence, Sendable {
        public typealias Element = Ready
        public typealias Failure = Never
        let node: Node

        /// Hands out the node's Readies one at a time; one iterator per consumer.
        public struct AsyncIterator: AsyncIteratorProtocol, Sendable {
            let node: Node
            /// Set once `next()` returned nil: an ended sequence stays ended.
            var finished = false

            /// The next Ready, waiting until there is one and the previous one was advanced; nil once
            /// the node has stopped.
            public mutating func next() async -> Ready? {
                if finished { return nil }
                guard let rd = await node.nextReady() else {
                    finished = true
                    return nil
                }
                return rd
            }
        }

        /// An iterator over the node's Readies.
        public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(node: node) }
    }
}
