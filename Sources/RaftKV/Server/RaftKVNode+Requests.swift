import Foundation
import Raft

/// How a proposed write or membership change ended, as the Ready loop reports it.
enum ApplyOutcome: Sendable {
    case applied(existed: Bool)
    case rejected(String)
    case failed(String)
}

/// A write or conf change waiting to be applied: when it gives up, and what to call with its
/// outcome (nil: not applied by `deadline`). Whoever removes it from `Waiters.proposals`
/// answers it, so it is answered exactly once.
struct ProposalWaiter: Sendable {
    let deadline: ContinuousClock.Instant
    let answer: @Sendable (ApplyOutcome?) -> Void
}

/// A ReadIndex round (the linearizable reads that share it) waiting for its read index, then for
/// the applied index to reach it.
struct PendingRead: Sendable {
    var readers: [ReadWaiter]
    var index: UInt64?
}

/// A linearizable read in a round: when it gives up, and what to call once the round's read
/// index is applied (nil: read now) or the read failed (its outcome). Answered exactly once, by
/// whoever removes it from its round.
struct ReadWaiter: Sendable {
    let deadline: ContinuousClock.Instant
    let answer: @Sendable (RequestOutcome?) -> Void
}

/// What a client request came to, for the HTTP layer to turn into a status code.
public enum RequestOutcome: Sendable, Equatable {
    /// Done; for a delete, whether the key existed.
    case done(existed: Bool)
    case value([UInt8]?)
    /// Raft could not commit (or confirm a read) in time: no quorum, no leader.
    case unavailable(String)
    /// The request is invalid in the current state (a conf change raft refused).
    case rejected(String)
    /// This node no longer serves (stopped, or removed from the cluster).
    case gone(String)
}

extension RaftKVNode {
    var requestTimeout: TimeInterval { Double(options.requestTimeoutMilliseconds) / 1000 }

    func newRequestID() -> RequestID {
        waiters.withLock {
            $0.nextSequence += 1
            return RequestID(node: id, sequence: $0.nextSequence)
        }
    }

    /// Why this node cannot take requests, if it cannot.
    private var refusal: String? {
        loop.withLock { s in
            if s.removed { return "this node was removed from the cluster" }
            if s.stopped { return "this node is stopping" }
            return nil
        }
    }

    // MARK: - Writes

    /// Proposes a put and waits until this node applied it. Blocking: call from a thread.
    public func put(_ key: String, _ value: [UInt8]) -> RequestOutcome {
        waitFor({
            write(.put(key: key, value: value), then: $0)
            proposeQueuedWrites()
        }, orElse: outcome(nil, "write"))
    }

    /// Proposes a delete and waits until this node applied it; says whether the key existed.
    public func delete(_ key: String) -> RequestOutcome {
        waitFor({
            write(.delete(key: key), then: $0)
            proposeQueuedWrites()
        }, orElse: outcome(nil, "write"))
    }

    /// Calls `start` with an answer callback and waits for the answer, which always comes: a
    /// request is answered by the Ready loop, or by the timeout task (`expireProposals`,
    /// `expireReads`) at its deadline. The blocking face of the callback API, for callers on a
    /// thread of their own.
    private func waitFor(_ start: (@escaping @Sendable (RequestOutcome) -> Void) -> Void,
                         orElse fallback: @autoclosure () -> RequestOutcome) -> RequestOutcome {
        let answer = Completion<RequestOutcome>()
        start { answer.complete($0) }
        // The deadline is a backstop: the waiter expires a tick after the request timeout.
        return answer.wait(until: Date().addingTimeInterval(requestTimeout + 5)) ?? fallback()
    }

    /// Queues the command for `proposeQueuedWrites`, which the caller calls once it has queued
    /// what it has (the HTTP event loop: after each pass), and calls `answer` once it is applied
    /// (by the Ready loop, as it applies it), or failed, or not applied by the request timeout
    /// (by the timeout task, `expireProposals`). Never blocks: the HTTP event loop calls it, and
    /// the answer is the callback rather than a thread waiting on a condition, so that a write
    /// costs no thread and no wake-up of its own (one loop wake-up per applied batch).
    func write(_ op: KVCommand.Operation, then answer: @escaping @Sendable (RequestOutcome) -> Void) {
        if let refusal { return answer(.gone(refusal)) }
        let command = KVCommand(requestID: newRequestID(), operation: op)
        let deadline = ContinuousClock.now + .milliseconds(options.requestTimeoutMilliseconds)
        let waiter = ProposalWaiter(deadline: deadline) { [self] in answer(outcome($0, "write")) }
        waiters.withLock { $0.proposals[command.requestID] = waiter }
        guard localWrites.post(LocalWrite(requestID: command.requestID, data: command.encoded()), ring: false) else {
            waiters.withLock { _ = $0.proposals.removeValue(forKey: command.requestID) }
            return answer(.unavailable("\(localWrites.capacity) writes already wait to be proposed"))
        }
    }

    /// For membership changes: registers a waiter for `requestID`, runs `submit` on raft, and
    /// waits for the entry to be applied or the deadline. A timed-out proposal is abandoned, not
    /// retracted: it may still commit later (as with any system where a client can time out;
    /// writes alike). Blocking: the HTTP API calls it from a thread of its own.
    func propose(_ requestID: RequestID, _ what: String,
                 _ submit: @escaping @Sendable (Node) async throws -> Void) -> RequestOutcome {
        if let refusal { return .gone(refusal) }
        let completion = Completion<ApplyOutcome?>()
        let deadline = Date().addingTimeInterval(requestTimeout)
        let waiter = ProposalWaiter(deadline: .now + .milliseconds(options.requestTimeoutMilliseconds)) {
            completion.complete($0)
        }
        waiters.withLock { $0.proposals[requestID] = waiter }
        let task = Task { [node] in
            do { try await submit(node) } catch is CancellationError {
            } catch RaftError.cancelled {
            } catch {
                completion.complete(.failed("raft refused the proposal: \(error)"))
            }
        }
        let result = completion.wait(until: deadline) ?? nil
        task.cancel()
        waiters.withLock { _ = $0.proposals.removeValue(forKey: requestID) }
        return outcome(result, what)
    }

    /// What an applied (or failed, or timed-out: nil) proposal means for its request.
    private func outcome(_ outcome: ApplyOutcome?, _ what: String) -> RequestOutcome {
        switch outcome {
        case .applied(let existed)?: return .done(existed: existed)
        case .rejected(let why)?: return .rejected(why)
        case .failed(let why)?: return .unavailable(why)
        case nil: return .unavailable("\(what) not committed within \(options.requestTimeoutMilliseconds) ms (no leader or no quorum?)")
        }
    }

    /// Called by the Ready loop when the entry proposed as `requestID` was applied: the waiter
    /// leaves the table as it is answered, so each is answered once.
    func complete(_ requestID: RequestID, _ outcome: ApplyOutcome) {
        waiters.withLock { $0.proposals.removeValue(forKey: requestID) }?.answer(outcome)
    }

    /// Answers "not committed in time" to the proposals whose deadline passed. The timeout task
    /// calls it every tick length, so a request times out within a tick of its deadline.
    func expireProposals(now: ContinuousClock.Instant = .now) {
        let expired = waiters.withLock { w -> [ProposalWaiter] in
            guard w.proposals.values.contains(where: { $0.deadline <= now }) else { return [] }
            let ids = w.proposals.filter { $0.value.deadline <= now }.map(\.key)
            return ids.compactMap { w.proposals.removeValue(forKey: $0) }
        }
        for waiter in expired { waiter.answer(nil) }
    }

    // MARK: - Reads

    /// The value of `key`: with `linearizable`, as of a read index confirmed by a quorum (so it
    /// reflects every write acknowledged before the read began, on whichever node); otherwise
    /// this node's applied state as it is (possibly stale on a lagging follower). Blocking.
    public func get(_ key: String, linearizable: Bool) -> RequestOutcome {
        waitFor({ get(key, linearizable: linearizable, then: $0) },
                orElse: .unavailable("read not confirmed by a quorum within \(options.requestTimeoutMilliseconds) ms"))
    }

    /// As `get`, answering through `answer` instead of blocking: at once for a serializable read,
    /// else from the Ready loop once the read index is applied, or from the timeout task when
    /// the deadline passes first (`expireReads`).
    ///
    /// Concurrent reads share one ReadIndex round (etcd's server batches its linearizable reads
    /// the same way): a read joins the round that will be asked next, which is asked at once
    /// when no round is in flight, else as soon as the one in flight has its index (so its index
    /// is always taken after every read in it began). The round in flight is asked again every
    /// half second while unanswered (raft drops read requests when there is no leader, or when a
    /// new leader has not committed in its term yet).
    func get(_ key: String, linearizable: Bool, then answer: @escaping @Sendable (RequestOutcome) -> Void) {
        if let refusal { return answer(.gone(refusal)) }
        guard linearizable else { return answer(.value(kv.get(key))) }
        let deadline = ContinuousClock.now + .milliseconds(options.requestTimeoutMilliseconds)
        let reader = ReadWaiter(deadline: deadline) { [kv] failure in answer(failure ?? .value(kv.get(key))) }
        if let round = joinReadRound(reader) { askReadIndex(round) }
    }

    /// Adds the read to the round it joins; returns that round when the caller must ask raft for
    /// it (it is the new round in flight).
    private func joinReadRound(_ reader: ReadWaiter) -> RequestID? {
        waiters.withLock { w in
            if let next = w.readNext, w.reads[next] != nil {
                w.reads[next]?.readers.append(reader)
                return nil
            }
            w.nextSequence += 1
            let round = RequestID(node: id, sequence: w.nextSequence)
            w.reads[round] = PendingRead(readers: [reader])
            if w.readInFlight == nil {
                w.readInFlight = round
                w.readAskedAt = .now
                return round
            }
            w.readNext = round
            return nil
        }
    }

    private func askReadIndex(_ round: RequestID) {
        let context = round.bytes
        Task { [node] in try? await node.readIndex(context) }
    }

    /// Answers the reads whose deadline passed, asks again for the round in flight when it has
    /// waited half a second for its index, and fails every read once this node cannot serve.
    /// The timeout task calls it every tick length.
    func expireReads(now: ContinuousClock.Instant = .now) {
        let refusal = self.refusal
        let (expired, ask) = waiters.withLock { w -> ([ReadWaiter], RequestID?) in
            var expired: [ReadWaiter] = []
            for (round, pending) in w.reads where pending.readers.contains(where: { refusal != nil || $0.deadline <= now }) {
                expired += pending.readers.filter { refusal != nil || $0.deadline <= now }
                w.reads[round]?.readers.removeAll { refusal != nil || $0.deadline <= now }
            }
            guard refusal == nil, let inFlight = w.readInFlight, w.reads[inFlight]?.index == nil,
                  let asked = w.readAskedAt, now - asked >= .milliseconds(500) else { return (expired, nil) }
            w.readAskedAt = now
            return (expired, inFlight)
        }
        let failure: RequestOutcome = refusal.map { .gone($0) }
            ?? .unavailable("read not confirmed by a quorum within \(options.requestTimeoutMilliseconds) ms")
        for reader in expired { reader.answer(failure) }
        if let ask { askReadIndex(ask) }
    }

    /// Records the read indexes raft answered.
    func noteReadStates(_ states: [ReadState]) {
        guard !states.isEmpty else { return }
        waiters.withLock { w in
            for rs in states {
                var r = ByteReader(rs.requestCtx)
                guard let node = try? r.u64("node"), let seq = try? r.u64("sequence") else { continue }
                let rid = RequestID(node: node, sequence: seq)
                if w.reads[rid] != nil && w.reads[rid]?.index == nil { w.reads[rid]?.index = rs.index }
            }
        }
    }

    /// Answers the reads whose read index is applied, and asks for the next round once the one
    /// in flight has its index.
    func answerReads() {
        let applied = loop.withLock { $0.appliedIndex }
        let (due, ask) = waiters.withLock { w -> ([ReadWaiter], RequestID?) in
            let done = w.reads.filter { $0.value.index.map { $0 <= applied } == true }.map(\.key)
            let due = done.flatMap { w.reads.removeValue(forKey: $0)?.readers ?? [] }
            guard let inFlight = w.readInFlight, w.reads[inFlight]?.index != nil || w.reads[inFlight] == nil else {
                return (due, nil)
            }
            w.readInFlight = w.readNext
            w.readNext = nil
            if w.readInFlight != nil { w.readAskedAt = .now }
            return (due, w.readInFlight)
        }
        for reader in due { reader.answer(nil) }
        if let ask { askReadIndex(ask) }
    }

    /// Answers every waiting write and read: the node stopped (the task that would time them
    /// out has too).
    func failAllWaiters(_ reason: String) {
        let (proposals, reads) = waiters.withLock { w in
            defer {
                w.proposals.removeAll()
                w.reads.removeAll()
                w.readInFlight = nil
                w.readNext = nil
            }
            return (Array(w.proposals.values), w.reads.values.flatMap(\.readers))
        }
        for p in proposals { p.answer(.failed(reason)) }
        let failure: RequestOutcome = refusal.map { .gone($0) } ?? .unavailable(reason)
        for r in reads { r.answer(failure) }
    }
}
