/// Drives one raft node without threads: the application calls it, from one thread or task at a
/// time, to feed in time (`tick`), requests (`propose`, `campaign`, `readIndex`...) and messages
/// (`step`), and pulls out the work to do with `ready()` / `advance(_:)`.
///
/// `Node` wraps a RawNode for concurrent use; use RawNode directly for full control (many raft
/// groups on one thread, deterministic tests and simulations).
///
/// Stored properties skip the run-time exclusivity checks: see `RaftStateMachine`.
///
/// etcd: `raft.RawNode`.
public final class RawNode {
    package let raft: RaftStateMachine
    package let asyncStorageWrites: Bool

    /// The soft state of the last accepted Ready, to report only changes.
    @exclusivity(unchecked) package var prevSoftState: SoftState
    /// The hard state of the last accepted Ready, to report only changes.
    @exclusivity(unchecked) package var prevHardState: HardState
    /// Local messages to step when the application calls `advance`: the self-addressed
    /// acknowledgements and the storage responses of the accepted Ready.
    @exclusivity(unchecked) package var stepsOnAdvance: [Message] = []

    /// Starts a node from `config.storage`: restores its hard state, log and membership.
    ///
    /// - Throws: `.config` for an invalid configuration; `.storage` when storage cannot be read or
    ///   holds an impossible state; `.confChange` when the stored membership is invalid.
    ///
    /// etcd: `NewRawNode`.
    public init(config: Config) throws(RaftError) {
        raft = try RaftStateMachine(config: config)
        asyncStorageWrites = config.asyncStorageWrites
        prevSoftState = raft.softState
        prevHardState = raft.hardState
    }

    /// Advances the logical clock by one tick: elections and heartbeats are counted in ticks.
    ///
    /// etcd: `RawNode.Tick`.
    public func tick() { raft.tick() }

    /// Counts a tick towards the election timeout without doing anything else, for groups that are
    /// known to be idle. Subverts the algorithm's timing: use with care.
    ///
    /// etcd: `RawNode.TickQuiesced`.
    public func tickQuiesced() { raft.electionElapsed += 1 }

    /// Starts an election now (with a pre-election first under PreVote).
    ///
    /// etcd: `RawNode.Campaign`.
    public func campaign() throws(RaftError) { try raft.step(Message(type: .msgHup)) }

    /// Proposes `data` for appending to the log. Success means the proposal was accepted for
    /// replication, not that it committed; it may still be lost, and the application retries.
    ///
    /// - Throws: `RaftError.proposalDropped` when it was refused.
    ///
    /// etcd: `RawNode.Propose`.
    public func propose(_ data: [UInt8]) throws(RaftError) {
        try raft.step(Message(type: .msgProp, from: raft.id, entries: [Entry(data: data)]))
    }

    /// Proposes a membership change. Apply it with `applyConfChange` once it is committed.
    ///
    /// etcd: `RawNode.ProposeConfChange`.
    public func proposeConfChange(_ cc: any ConfChangeI) throws(RaftError) {
        try raft.step(confChangeToMessage(cc))
    }

    /// Applies a committed conf change to this node's configuration and returns the new
    /// membership. Call it for every committed conf change entry the application does not reject.
    ///
    /// - Throws: `ConfChangeError` when the change is invalid for the current configuration
    ///   (possible only when propose-time validation was disabled).
    ///
    /// etcd: `RawNode.ApplyConfChange`.
    public func applyConfChange(_ cc: any ConfChangeI) throws(ConfChangeError) -> ConfState {
        try raft.applyConfChange(cc.asV2())
    }

    /// Feeds a message received from another node (or, with async storage writes, a response from
    /// a local storage thread).
    ///
    /// - Throws: `.stepLocalMsg` for a local-only message from the network, `.stepPeerNotFound`
    ///   for a response from a node outside the configuration, `.invalidMessage` for a message
    ///   that contradicts the log, `.proposalDropped` for a refused forwarded proposal.
    ///
    /// The message is `consuming`: raft keeps parts of it (the entries of an append), so a caller
    /// done with its message hands it over instead of having it copied.
    ///
    /// etcd: `RawNode.Step`.
    public func step(_ m: consuming Message) throws(RaftError) {
        if let yours = raft.parts.checkPeerMessage { try yours(self, m) } else { try checkPeerMessage(m) }
        try raft.step(m)
    }

    /// Refuses what must not reach raft from the network: a local-only message type, a response
    /// from a node outside the configuration, and a message without the term its kind carries.
    ///
    /// etcd: the checks at the top of `RawNode.Step`.
    @inline(__always)
    package func checkPeerMessage(_ m: borrowing Message) throws(RaftError) {
        if m.type.isLocal && !PeerID.isLocalTarget(m.from) { throw .stepLocalMsg }
        if m.type.isResponse && !PeerID.isLocalTarget(m.from) && raft.trk.progress(of: m.from) == nil {
            throw .stepPeerNotFound
        }
        if m.term == 0 && m.type.isAlwaysSentWithTerm {
            // Term 0 means "local" to the state machine (etcd's unit tests step such messages
            // into it directly); from the network these kinds always carry the sender's term,
            // so one without is forged or corrupt.
            throw .invalidMessage("\(m.type) from \(hex(m.from)) carries no term")
        }
    }

    /// Returns the work to do and marks it as handed out: the next call does not return it again.
    /// Handle it and call `advance(_:)` (see `Ready` for the contract).
    ///
    /// etcd: `RawNode.Ready`.
    public func ready() -> Ready {
        let rd = readyWithoutAccept()
        if let yours = raft.parts.acceptReady { yours(self, rd) } else { acceptReady(rd) }
        return rd
    }

    /// Builds the Ready without marking anything as handed out.
    ///
    /// etcd: `RawNode.readyWithoutAccept`.
    package func readyWithoutAccept() -> Ready {
        let r = raft
        var rd = Ready()
        rd.entries = r.raftLog.nextUnstableEnts()
        rd.committedEntries = r.raftLog.nextCommittedEnts(allowUnstable: applyUnstableEntries)
        rd.messages = r.msgs
        let softState = r.softState
        if softState != prevSoftState { rd.softState = softState }
        let hardState = r.hardState
        if hardState != prevHardState { rd.hardState = hardState }
        if let snapshot = r.raftLog.nextUnstableSnapshot() { rd.snapshot = snapshot }
        rd.readStates = r.readStates
        rd.mustSync = if let yours = r.parts.mustSync {
            yours(hardState, prevHardState, rd.entries.count)
        } else {
            Ready.mustSync(hardState, prevHardState, entryCount: rd.entries.count)
        }

        if asyncStorageWrites {
            // The storage work travels as messages to the local append and apply threads.
            if needStorageAppendMsg(rd) { rd.messages.append(newStorageAppendMsg(rd)) }
            if needStorageApplyMsg(rd) { rd.messages.append(newStorageApplyMsg(rd)) }
        } else {
            // The application persists before sending, so messages that wait for durability can
            // go out in this same Ready; the self-addressed ones are stepped on advance.
            if !r.msgsAfterAppend.contains(where: { $0.to == r.id }) {
                // None held back (a follower's acknowledgements): a Ready that has no other
                // messages takes the array whole, without copying the messages one by one.
                if rd.messages.isEmpty {
                    rd.messages = r.msgsAfterAppend
                } else {
                    rd.messages.append(contentsOf: r.msgsAfterAppend)
                }
            } else {
                for m in r.msgsAfterAppend where m.to != r.id { rd.messages.append(m) }
            }
        }
        return rd
    }

    /// Marks a Ready as handed out. Nothing may change the node between `readyWithoutAccept` and
    /// this call.
    ///
    /// etcd: `RawNode.acceptReady`.
    package func acceptReady(_ rd: Ready) {
        if let softState = rd.softState { prevSoftState = softState }
        if !rd.hardState.isEmpty { prevHardState = rd.hardState }
        if !rd.readStates.isEmpty { raft.readStates = [] }
        if !asyncStorageWrites {
            if !stepsOnAdvance.isEmpty {
                raft.logger.panic("two accepted Ready structs without call to Advance")
            }
            // Room for the self-acknowledgements and the two storage responses below, at once.
            if !raft.msgsAfterAppend.isEmpty { stepsOnAdvance.reserveCapacity(raft.msgsAfterAppend.count + 2) }
            for m in raft.msgsAfterAppend where m.to == raft.id { stepsOnAdvance.append(m) }
            if needStorageAppendRespMsg(rd) { stepsOnAdvance.append(newStorageAppendRespMsg(rd)) }
            if !rd.committedEntries.isEmpty { stepsOnAdvance.append(newStorageApplyRespMsg(rd.committedEntries)) }
        }
        // The Ready owns the messages now. Emptied keeping their capacity: an array the Ready does
        // not share (a leader's self-acknowledgements) keeps its buffer, and one it shares is
        // replaced by a buffer as large, as a busy pipeline produces similar batches; either way
        // the next messages do not reallocate their array again and again as it grows.
        // Skipped when empty: the call is not free even then (about 200 instructions through the
        // generic `replaceSubrange`), and most Readies leave one of the two empty.
        if !raft.msgs.isEmpty { raft.msgs.removeAll(keepingCapacity: true) }
        if !raft.msgsAfterAppend.isEmpty { raft.msgsAfterAppend.removeAll(keepingCapacity: true) }
        raft.raftLog.acceptUnstable()
        if let last = rd.committedEntries.last {
            do {
                try raft.raftLog.acceptApplying(last.index, size: entsSize(rd.committedEntries),
                                                allowUnstable: applyUnstableEntries)
            } catch {
                raft.logger.panic("\(error)")
            }
        }
    }

    /// Whether committed entries may be applied before they are durable locally: yes, unless
    /// storage writes are asynchronous (then the apply thread could overtake the append thread).
    ///
    /// etcd: `RawNode.applyUnstableEntries`.
    package var applyUnstableEntries: Bool { !asyncStorageWrites }

    /// Whether there is a Ready to handle.
    ///
    /// etcd: `RawNode.HasReady`.
    public func hasReady() -> Bool {
        let r = raft
        if r.softState != prevSoftState { return true }
        let hardState = r.hardState
        if !hardState.isEmpty && hardState != prevHardState { return true }
        if r.raftLog.hasNextUnstableSnapshot() { return true }
        if !r.msgs.isEmpty || !r.msgsAfterAppend.isEmpty { return true }
        if r.raftLog.hasNextUnstableEnts() || r.raftLog.hasNextCommittedEnts(allowUnstable: applyUnstableEntries) {
            return true
        }
        return !r.readStates.isEmpty
    }

    /// Tells raft that the last Ready was handled: its state persisted, its entries applied.
    /// Not used with async storage writes (their responses take its place).
    ///
    /// etcd: `RawNode.Advance`.
    public func advance(_ rd: Ready) {
        if asyncStorageWrites {
            raft.logger.error("Advance must not be called when using AsyncStorageWrites")
            return
        }
        // Taken out to a local (iterating the stored property would copy every message), then
        // emptied and put back so that its buffer serves the next Ready.
        var steps: [Message] = []
        swap(&steps, &stepsOnAdvance)
        for m in steps {
            // Handed over with `consume` (`step` takes its message `consuming`): without it the
            // message is copied once more, since the error below would still need it.
            let type = m.type
            do { try raft.step(consume m) } catch { raft.logger.error("stepping \(type) on advance: \(error)") }
        }
        steps.removeAll(keepingCapacity: true)
        stepsOnAdvance = steps
    }

    /// The node's full status, including every follower's progress on the leader.
    ///
    /// etcd: `RawNode.Status`.
    public func status() -> Status {
        let basic = basicStatus()
        var progress: [UInt64: ProgressStatus] = [:]
        if basic.softState.raftState == .leader {
            raft.trk.visit { id, pr in progress[id] = ProgressStatus(pr) }
        }
        return Status(basic: basic, config: raft.trk.config, progress: progress)
    }

    /// The node's status without the progress map.
    ///
    /// etcd: `RawNode.BasicStatus`.
    public func basicStatus() -> BasicStatus {
        BasicStatus(id: raft.id, hardState: raft.hardState, softState: raft.softState,
                    applied: raft.raftLog.applied, leadTransferee: raft.leadTransferee)
    }

    /// Visits every member's progress, in id order, without building a map.
    ///
    /// etcd: `RawNode.WithProgress`.
    public func withProgress(_ visitor: (UInt64, ProgressStatus) -> Void) {
        raft.trk.visit { id, pr in visitor(id, ProgressStatus(pr)) }
    }

    /// Reports that the last message to `id` could not be delivered, so the leader stops
    /// optimistic replication to it.
    ///
    /// etcd: `RawNode.ReportUnreachable`.
    public func reportUnreachable(_ id: UInt64) {
        try? raft.step(Message(type: .msgUnreachable, from: id))
    }

    /// Reports how sending a snapshot to `id` went.
    ///
    /// etcd: `RawNode.ReportSnapshot`.
    public func reportSnapshot(_ id: UInt64, status: SnapshotStatus) {
        try? raft.step(Message(type: .msgSnapStatus, from: id, reject: status == .failure))
    }

    /// Asks the leader to hand leadership to `transferee`.
    ///
    /// etcd: `RawNode.TransferLeader`.
    public func transferLeader(_ transferee: UInt64) {
        try? raft.step(Message(type: .msgTransferLeader, from: transferee))
    }

    /// Makes a follower forget its leader, so that it may vote for another node before its
    /// election timeout (useful when the application knows the leader is gone).
    ///
    /// etcd: `RawNode.ForgetLeader`.
    public func forgetLeader() throws(RaftError) { try raft.step(Message(type: .msgForgetLeader)) }

    /// Requests a linearizable read point; the answer comes back as a `ReadState` carrying
    /// `context` in a later Ready.
    ///
    /// etcd: `RawNode.ReadIndex`.
    public func readIndex(_ context: [UInt8]) {
        try? raft.step(Message(type: .msgReadIndex, entries: [Entry(data: context)]))
    }
}

/// How sending a snapshot went.
///
/// etcd: `SnapshotStatus`.
public enum SnapshotStatus: Sendable, Hashable {
    /// The snapshot reached the follower; the leader waits for its answer before resuming appends.
    case finish
    /// Sending failed; the leader probes the follower again (and may send another snapshot).
    case failure
}

/// The proposal message for a conf change.
///
/// etcd: `confChangeToMsg`.
package func confChangeToMessage(_ cc: any ConfChangeI) -> Message {
    let (type, data) = marshalConfChange(cc)
    return Message(type: .msgProp, entries: [Entry(type: type, data: data)])
}
