/// Everything `Node` keeps behind its lock: the `RawNode`, what its loop remembers, and the calls
/// waiting on it. Each method runs with the lock held and does not suspend; a continuation it
/// wants resumed goes into a `Wakeups`, which `Node` resumes once the lock is released.
///
/// etcd keeps the same things as `node.run`'s goroutine and its local variables; a call reaches
/// them only through a channel. Here a call reaches them by taking the lock for as long as raft
/// needs (one step, one Ready), which is why none of the methods below may wait.
struct NodeState: @unchecked Sendable {
    // @unchecked: `RawNode` has no lock of its own. A `NodeState` lives only inside `Node`'s
    // `Locked`, so the raw node, like everything else here, is touched by one thread at a time.
    let rawNode: RawNode
    /// Whether `stop()` was called; every later call throws `RaftError.stopped`.
    var stopped = false
    /// What the loop remembers between events: the leader it last saw, whether proposals may go
    /// to raft, whether a Ready is out.
    var loop = NodeLoop()
    /// Proposals waiting for `acceptsProposals`, oldest first; stepped in that order.
    var proposalWaiters: [ProposalWaiter] = []
    /// Consumers of `readies` waiting for a Ready, oldest first; each Ready goes to one of them
    /// (as each value of etcd's `readyc` goes to one receiver).
    var readyWaiters: [ReadyWaiter] = []
    /// Identifies waiters, so that a cancellation handler finds its own waiter.
    var nextTicket = 0
    /// Snapshots that arrived while the application was still applying the committed entries of
    /// the outstanding Ready; stepped at `advance()`. Restoring one earlier would let the older
    /// conf changes the application is applying land on top of the snapshot's membership
    /// (etcd-io/etcd#11510; see Notes/design-decisions.md).
    var heldSnapshots: [Message] = []
    var logger: any Logger { rawNode.raft.logger }

    init(rawNode: RawNode) {
        self.rawNode = rawNode
    }

    func checkRunning() throws(RaftError) {
        if stopped { throw .stopped }
    }

    mutating func newTicket() -> Int {
        defer { nextTicket += 1 }
        return nextTicket
    }

    // MARK: - Proposals

    /// What became of a proposal offered to the node.
    enum Offer {
        /// Settled without waiting: stepped (nil: raft took it, or its verdict is not reported)
        /// or refused (`.stopped`, `.cancelled`, or raft's verdict).
        case answered(RaftError?)
        /// No leader is known: the proposal has to wait (etcd's `propc` is nil).
        case waits
    }

    /// Steps `p` if proposals are accepted now; says it must wait otherwise. A stopped node
    /// refuses first, then a cancelled caller, as the old actor's gate did.
    mutating func offer(_ p: Proposal, cancelled: Bool) -> Offer {
        if stopped { return .answered(.stopped) }
        if cancelled { return .answered(.cancelled) }
        guard loop.acceptsProposals else { return .waits }
        return .answered(stepProposal(p))
    }

    /// `offer`, for a caller about to suspend: queues the proposal with its continuation when it
    /// has to wait, and otherwise hands the continuation its answer in `wakeups`. Checked again
    /// here, under the lock, because a leader may have appeared since the caller's first offer.
    mutating func offerOrWait(_ p: Proposal, ticket: Int, continuation: CheckedContinuation<Void, any Error>,
                              cancelled: Bool, _ wakeups: inout Wakeups) {
        switch offer(p, cancelled: cancelled) {
        case .answered(let verdict): wakeups.proposals.append((continuation, verdict))
        case .waits: proposalWaiters.append(ProposalWaiter(ticket: ticket, proposal: p, continuation: continuation))
        }
    }

    /// Steps a proposal as this node's own (forwarded ones included, as etcd does) and returns
    /// the verdict its caller reports, if it reports one.
    mutating func stepProposal(_ p: Proposal) -> RaftError? {
        var m = p.message
        m.from = rawNode.raft.id
        do { try rawNode.raft.step(m) } catch {
            if p.reportsVerdict { return error }
            logger.debug("\(hex(rawNode.raft.id)) dropped proposal: \(error)")
        }
        return nil
    }

    /// Removes a waiting proposal whose task was cancelled; nil when it was already resumed.
    mutating func removeProposalWaiter(_ ticket: Int) -> CheckedContinuation<Void, any Error>? {
        guard let k = proposalWaiters.firstIndex(where: { $0.ticket == ticket }) else { return nil }
        return proposalWaiters.remove(at: k).continuation
    }

    // MARK: - Readies

    /// Hands out a Ready if one is due and the previous one was advanced.
    mutating func takeReady() -> Ready? {
        guard !stopped else { return nil }
        if let yours = rawNode.raft.parts.takeReady { return yours(&loop, rawNode) }
        return loop.takeReady(rawNode)
    }

    /// What a consumer of `readies` gets without waiting: `.some(nil)` once stopped, `.some(rd)`
    /// when a Ready is due and nobody queued before it, nil when it has to wait.
    mutating func readyNow() -> Ready?? {
        if stopped { return .some(nil) }
        // With others already waiting there is nothing to take: a Ready would have gone to them.
        if readyWaiters.isEmpty, let rd = takeReady() { return .some(rd) }
        return nil
    }

    /// `readyNow`, for a consumer about to suspend: queues it when it has to wait (checked again
    /// under the lock: a Ready may have become due since its first look).
    mutating func readyOrWait(ticket: Int, continuation: CheckedContinuation<Ready?, Never>,
                              cancelled: Bool, _ wakeups: inout Wakeups) {
        if cancelled {
            wakeups.readies.append((continuation, nil))
        } else if let rd = readyNow() {
            wakeups.readies.append((continuation, rd))
        } else {
            readyWaiters.append(ReadyWaiter(ticket: ticket, continuation: continuation))
        }
    }

    /// Removes a waiting consumer whose task was cancelled; nil when it was already resumed.
    mutating func removeReadyWaiter(_ ticket: Int) -> CheckedContinuation<Ready?, Never>? {
        guard let k = readyWaiters.firstIndex(where: { $0.ticket == ticket }) else { return nil }
        return readyWaiters.remove(at: k).continuation
    }

    // MARK: - Events

    /// Steps a message from the network (anything but a proposal), after the filters etcd's
    /// `node.run` applies: a local-only message type from a peer and a response from a node
    /// outside the configuration are ignored, and a snapshot that arrives while the application
    /// is applying entries it was handed is held until they are applied (`advance()`, or the
    /// apply thread's response with async storage writes).
    mutating func stepFromNetwork(_ m: Message) {
        if m.type.isLocal && !PeerID.isLocalTarget(m.from) { return }
        if m.type.isResponse && !PeerID.isLocalTarget(m.from) && rawNode.raft.trk.progress(of: m.from) == nil {
            return
        }
        if m.type == .msgSnap && applyingHandedOutEntries {
            heldSnapshots.append(m)
            return
        }
        stepFromPeer(m)
        if m.type == .msgStorageApplyResp && !applyingHandedOutEntries { stepHeldSnapshots() }
    }

    /// Steps the snapshots held while entries were being applied, now that they are.
    mutating func stepHeldSnapshots() {
        guard !heldSnapshots.isEmpty else { return }
        let held = heldSnapshots
        heldSnapshots = []
        for m in held { stepFromPeer(m) }
    }

    /// Whether committed entries handed to the application may still be being applied: those of
    /// the outstanding Ready until `advance()`, or, with async storage writes, those sent to the
    /// apply thread until its response says they are applied.
    var applyingHandedOutEntries: Bool {
        if rawNode.asyncStorageWrites {
            let log = rawNode.raft.raftLog
            return log.applying > log.applied
        }
        return loop.awaitingAdvance && loop.applyingOutstanding
    }

    /// Steps a message raft got from elsewhere, logging (not reporting) a refusal, as etcd's
    /// `node` does not report it either.
    func stepFromPeer(_ m: Message) {
        do { try rawNode.step(m) } catch {
            logger.debug("\(hex(rawNode.raft.id)) ignored \(m.type) from \(hex(m.from)): \(error)")
        }
    }

    /// Ends every waiting call: proposals with `.stopped`, consumers with nil.
    mutating func stop(_ wakeups: inout Wakeups) {
        guard !stopped else { return }
        stopped = true
        for w in proposalWaiters { wakeups.proposals.append((w.continuation, .stopped)) }
        for w in readyWaiters { wakeups.readies.append((w.continuation, nil)) }
        proposalWaiters = []
        readyWaiters = []
    }

    /// Called after everything that may have changed raft's state: notices leader changes (and
    /// steps the proposals that waited for one), and hands Readies to waiting consumers.
    ///
    /// etcd: the top of the loop in `node.run`.
    mutating func didChange(_ wakeups: inout Wakeups) {
        guard !stopped else { return }
        let r = rawNode.raft
        let wake = if let yours = r.parts.observeLeader { yours(&loop, r) } else { loop.observeLeader(r) }
        if wake {
            while loop.acceptsProposals, !proposalWaiters.isEmpty {
                let w = proposalWaiters.removeFirst()
                wakeups.proposals.append((w.continuation, stepProposal(w.proposal)))
            }
        }
        while !readyWaiters.isEmpty, let rd = takeReady() {
            wakeups.readies.append((readyWaiters.removeFirst().continuation, rd))
        }
    }
}
