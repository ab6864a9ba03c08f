/// A raft node safe to use from many tasks at once: the thread-safe face of `RawNode`.
///
/// etcd runs a `RawNode` on one goroutine and funnels every call through channels into a single
/// `select` loop, so that raft only ever sees one event at a time. `Node` gets the same guarantee
/// from a lock: every call takes it, does its raft work (one step, one Ready) and releases it, so
/// raft still sees one event at a time, and a call that has nothing to wait for returns without
/// suspending or changing threads. Only the calls that wait in etcd suspend here: a proposal while
/// no leader is known, and the consumer of `readies` while there is nothing to do (or the last
/// Ready was not advanced yet). Their continuations are kept under the lock and resumed after it
/// is released; both end when their task is cancelled (etcd's `ctx.Done()`) or the node stops.
///
/// `Node` is still declared an actor, so that its API (and every caller's `await`) stays what it
/// was when the actor's executor did the serialising. The calls that run often or wait
/// (`propose`, `step`, `proposeConfChange`, `readies`) are `nonisolated` and never enter that
/// executor; the rest still do, which costs a hop only when two of them meet (see
/// Notes/design-decisions.md, "Node: a lock, not the actor's executor").
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
    /// The raw node, the loop's memory and the waiters, behind one lock (a pthread mutex, which
    /// the thread sanitizer understands; see `Locked`).
    private let state: Locked<NodeState>

    private init(rawNode: RawNode) {
        state = Locked(NodeState(rawNode: rawNode))
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
        try change { s throws(RaftError) in
            try s.checkRunning()
            s.rawNode.tick()
        }
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
    public nonisolated func propose(_ data: [UInt8]) async throws(RaftError) {
        try await offer(Proposal(message: Message(type: .msgProp, entries: [Entry(data: data)]), reportsVerdict: true))
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
    public nonisolated func proposeConfChange(_ cc: any ConfChangeI) async throws(RaftError) {
        try await offer(Proposal(message: confChangeToMessage(cc), reportsVerdict: false))
    }

    /// Applies a committed conf change and returns the new membership, to record in snapshots.
    /// Call it for every committed conf change entry the application does not reject.
    ///
    /// - Throws: `.confChange` for a change invalid in the current configuration, `.stopped`.
    ///
    /// etcd: `Node.ApplyConfChange`.
    public func applyConfChange(_ cc: any ConfChangeI) throws(RaftError) -> ConfState {
        try change { s throws(RaftError) in
            try s.checkRunning()
            let r = s.rawNode.raft
            let wasMember = r.trk.progress[r.id] != nil
            let cs: ConfState
            do throws(ConfChangeError) { cs = try s.rawNode.applyConfChange(cc) } catch { throw .confChange(error) }
            // A node removed from the configuration stops taking proposals, as etcd disables its
            // proposal channel. Only a node that knew itself a member is blocked: one catching up
            // on the log may be a member without knowing it yet. The next leader change unblocks
            // it again, as in etcd.
            if wasMember && r.trk.progress[r.id] == nil
                && !cs.voters.contains(r.id) && !cs.votersOutgoing.contains(r.id) {
                s.loop.acceptsProposals = false
            }
            return cs
        }
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
    public nonisolated func step(_ m: Message) async throws(RaftError) {
        if m.type == .msgProp {
            try await offer(Proposal(message: m, reportsVerdict: false))
            return
        }
        try change { s throws(RaftError) in
            try s.checkRunning()
            s.stepFromNetwork(m)
        }
    }

    /// `step` for a caller that must not wait: a thread reading the network, or an event loop.
    /// Steps `m` on the calling thread, as `step` does, and returns true; the one message that
    /// would wait in `step`, a proposal while no leader is known, is not stepped and returns false,
    /// so that the caller can keep it and offer it again later (or through `step`).
    ///
    /// etcd has no counterpart: its `Step` always goes through the `select` loop. Here the lock
    /// makes a synchronous step safe, and it saves the task and the thread hop an `await` costs a
    /// caller that is not already in a task (see the DocC article "Differences from etcd").
    ///
    /// - Throws: `RaftError.stopped`.
    public nonisolated func tryStep(_ m: Message) throws(RaftError) -> Bool {
        if m.type == .msgProp {
            return try offerNow(Proposal(message: m, reportsVerdict: false))
        }
        try change { s throws(RaftError) in
            try s.checkRunning()
            s.stepFromNetwork(m)
        }
        return true
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
        try state.withLock { s throws(RaftError) in
            try s.checkRunning()
            return s.rawNode.status()
        }
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
        try change { s throws(RaftError) in
            try s.checkRunning()
            if s.rawNode.asyncStorageWrites {
                s.rawNode.advance(Ready()) // logs etcd's error and does nothing
                return
            }
            guard s.loop.awaitingAdvance else { return }
            s.loop.awaitingAdvance = false
            s.loop.applyingOutstanding = false
            // RawNode remembers what the accepted Ready needs on advance; the argument is unused.
            s.rawNode.advance(Ready())
            s.stepHeldSnapshots()
        }
    }

    /// Stops the node: waiting proposals throw `RaftError.stopped`, `readies` ends, and every
    /// later call throws `RaftError.stopped`. When it returns, raft will not change any more.
    /// Stopping twice is harmless.
    ///
    /// etcd: `Node.Stop`.
    public func stop() {
        var wakeups = Wakeups()
        state.withLock { $0.stop(&wakeups) }
        wakeups.resume()
    }

    // MARK: - Waiting

    /// Offers a proposal: steps it at once when a leader is known, and otherwise suspends until
    /// one is (the waiter is then stepped by the call that made the leader known), the node stops,
    /// or the task is cancelled.
    private nonisolated func offer(_ p: Proposal) async throws(RaftError) {
        if try !offerNow(p) { try await waitForLeader(p) }
    }

    /// Steps a proposal if a leader is known: true once it is settled (stepped, or refused with a
    /// thrown verdict), false when it has to wait for a leader.
    private nonisolated func offerNow(_ p: Proposal) throws(RaftError) -> Bool {
        var wakeups = Wakeups()
        let cancelled = Task.isCancelled
        let answer = state.withLock { s in
            let answer = s.offer(p, cancelled: cancelled)
            s.didChange(&wakeups)
            return answer
        }
        wakeups.resume()
        switch answer {
        case .answered(nil): return true
        case .answered(let refusal?): throw refusal
        case .waits: return false
        }
    }

    /// Suspends a proposal until the node steps it (a leader became known) or refuses it.
    private nonisolated func waitForLeader(_ p: Proposal) async throws(RaftError) {
        let ticket = state.withLock { $0.newTicket() }
        do {
            try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { (c: CheckedContinuation<Void, any Error>) in
                    // Runs before the task suspends. A cancellation that came first is seen here;
                    // one that comes later finds the waiter through its ticket. The lock orders
                    // the two, so the waiter is resumed exactly once.
                    var wakeups = Wakeups()
                    let cancelled = Task.isCancelled
                    state.withLock { s in
                        s.offerOrWait(p, ticket: ticket, continuation: c, cancelled: cancelled, &wakeups)
                        s.didChange(&wakeups)
                    }
                    wakeups.resume()
                }
            } onCancel: {
                state.withLock { $0.removeProposalWaiter(ticket) }?.resume(throwing: RaftError.cancelled)
            }
        } catch {
            // Waiters are only ever resumed with a RaftError (a verdict, `.stopped`, `.cancelled`).
            throw error as? RaftError ?? .cancelled
        }
    }

    /// The next Ready; nil once stopped, or when the waiting task is cancelled. A due Ready is
    /// taken without suspending.
    fileprivate nonisolated func nextReady() async -> Ready? {
        if let now = state.withLock({ $0.readyNow() }) { return now }
        let ticket = state.withLock { $0.newTicket() }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (c: CheckedContinuation<Ready?, Never>) in
                // Runs before the task suspends; see `waitForLeader`.
                var wakeups = Wakeups()
                let cancelled = Task.isCancelled
                state.withLock { $0.readyOrWait(ticket: ticket, continuation: c, cancelled: cancelled, &wakeups) }
                wakeups.resume()
            }
        } onCancel: {
            state.withLock { $0.removeReadyWaiter(ticket) }?.resume(returning: nil)
        }
    }

    // MARK: - Plumbing

    /// Runs `body` with the lock held, then (still holding it) `didChange`, and resumes what that
    /// woke once the lock is released. Every call that may change raft goes through here.
    private nonisolated func change<T>(_ body: (inout NodeState) throws(RaftError) -> T) throws(RaftError) -> T {
        var wakeups = Wakeups()
        let result = state.withLock { s in
            let result = Result { () throws(RaftError) in try body(&s) }
            s.didChange(&wakeups)
            return result
        }
        wakeups.resume()
        return try result.get()
    }

    /// Steps a message raft makes for itself (or the application makes for it); raft's verdict is
    /// not reported, as etcd's `Node` does not report it.
    private func stepLocally(_ m: Message) throws(RaftError) {
        try change { s throws(RaftError) in
            try s.checkRunning()
            do { try s.rawNode.raft.step(m) } catch {
                s.logger.debug("\(hex(s.rawNode.raft.id)) ignored \(m.type): \(error)")
            }
        }
    }

    // MARK: - For tests

    /// How many proposals wait for a leader: lets tests tell "waiting" from "not started yet".
    var waitingProposals: Int { state.withLock { $0.proposalWaiters.count } }
    /// How many consumers of `readies` wait for a Ready.
    var waitingReadyConsumers: Int { state.withLock { $0.readyWaiters.count } }

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
