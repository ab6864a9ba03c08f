import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Raft

/// What the transport tells raft about delivery, as etcd's rafthttp does through `Raft`.
public struct TransportReports: Sendable {
    /// A message to `id` could not be delivered: raft's `reportUnreachable`.
    public var unreachable: @Sendable (UInt64) -> Void
    /// How sending a snapshot to `id` went: raft's `reportSnapshot`.
    public var snapshot: @Sendable (UInt64, SnapshotStatus) -> Void
    /// Peer `id` answered that this node was removed from the cluster.
    public var removed: @Sendable (UInt64) -> Void

    public init(unreachable: @escaping @Sendable (UInt64) -> Void,
                snapshot: @escaping @Sendable (UInt64, SnapshotStatus) -> Void,
                removed: @escaping @Sendable (UInt64) -> Void = { _ in }) {
        self.unreachable = unreachable
        self.snapshot = snapshot
        self.removed = removed
    }
}

/// The outgoing half of the link to one peer: a queue and a thread that connects (again, with
/// backoff, after a failure), writes the queued messages as frames, and reports what could not
/// be delivered.
///
/// Raft retransmits what matters, so on any failure the queued messages are dropped rather than
/// kept: holding them would only deliver stale ones later. The queue is bounded for the same
/// reason: a peer that cannot keep up loses messages, not our memory.
///
/// etcd rafthttp: `peer`, `streamWriter`, `pipeline` (snapshot sending), `peerStatus`.
final class PeerSender: @unchecked Sendable {
    // @unchecked: the mutable fields are only touched with `condition` held, or by the sender
    // thread alone (`fd`, `backoffMs`, `nextAttempt`, `reachable`).
    let id: UInt64
    let endpoint: Endpoint
    /// Sent first on every connection: the listener closes connections that do not identify.
    private let hello: PeerHello
    private let reports: TransportReports
    private let logger: any Logger
    private let condition = NSCondition()
    private var queue: [Message] = []
    private var stopped = false
    private var fd: Int32 = -1
    private var backoffMs = 0
    private var nextAttempt = ContinuousClock.now
    private var reachable = true
    /// Whether the hello is still to be sent on the current connection.
    private var justConnected = false
    /// When `checkForAnswer` may look again.
    private var nextCheck = ContinuousClock.now

    /// How often the connection is checked for an answer (a removal notice, or its close):
    /// after every batch cost a `poll` per batch under load.
    static let checkInterval = Duration.milliseconds(100)

    static let maxQueued = 4096
    static let maxBackoffMs = 1000

    init(id: UInt64, endpoint: Endpoint, hello: PeerHello, reports: TransportReports, logger: any Logger) {
        self.id = id
        self.endpoint = endpoint
        self.hello = hello
        self.reports = reports
        self.logger = logger
    }

    func start() {
        let thread = Thread { [self] in run() }
        thread.name = "raftkv-peer-\(id)"
        thread.start()
    }

    /// Queues `m`; when the queue is full, drops it and reports the peer unreachable.
    func send(_ m: Message) {
        condition.lock()
        let accepted = !stopped && queue.count < Self.maxQueued
        if accepted {
            queue.append(m)
            // The thread waits only on an empty queue: the messages behind the first one are
            // taken with it.
            if queue.count == 1 { condition.signal() }
        }
        condition.unlock()
        if !accepted { failed([m]) }
    }

    func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        condition.unlock()
    }

    private func run() {
        while let batch = nextBatch() {
            deliver(batch)
        }
        if fd >= 0 { LibC.close(fd) }
    }

    /// Waits for messages; nil once stopped.
    private func nextBatch() -> [Message]? {
        condition.lock()
        defer { condition.unlock() }
        while queue.isEmpty && !stopped { condition.wait() }
        if stopped { return nil }
        defer { queue = [] }
        return queue
    }

    private func deliver(_ batch: [Message]) {
        if fd < 0 && !connect() {
            failed(batch)
            return
        }
        var bytes: [UInt8] = justConnected ? Frame.encode(hello.encoded()) : []
        justConnected = false
        for m in batch { bytes += Frame.encode(MessageCodec.encode(m)) }
        if Socket.sendAll(fd, bytes) {
            for m in batch where m.type == .msgSnap { reports.snapshot(id, .finish) }
            checkForAnswer()
            return
        }
        logger.warning("transport: lost the connection to peer \(id) at \(endpoint)")
        close(fd)
        fd = -1
        failed(batch)
    }

    /// Peers never write on our connection except to say we were removed (or by closing it):
    /// look, without waiting, whether they did; at most every `checkInterval`.
    private func checkForAnswer() {
        let now = ContinuousClock.now
        if now < nextCheck { return }
        nextCheck = now + Self.checkInterval
        var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&p, 1, 0) > 0 else { return }
        if case .frame(let payload) = Frame.read(from: fd), payload == Transport.removedNotice {
            logger.warning("transport: peer \(id) says this node was removed from the cluster")
            reports.removed(id)
        }
        close(fd)
        fd = -1
    }

    /// Connects unless the backoff says to wait; logs changes of reachability only.
    private func connect() -> Bool {
        if ContinuousClock.now < nextAttempt { return false }
        do {
            fd = try Socket.connect(endpoint, timeoutMs: 500)
            Socket.setTimeouts(fd, receiveMs: nil, sendMs: 5000)
            justConnected = true
            backoffMs = 0
            if !reachable { logger.info("transport: peer \(id) at \(endpoint) is reachable again") }
            reachable = true
            return true
        } catch {
            backoffMs = min(max(backoffMs * 2, 50), Self.maxBackoffMs)
            nextAttempt = ContinuousClock.now + .milliseconds(backoffMs)
            if reachable { logger.warning("transport: peer \(id) unreachable (\(error)); retrying with backoff") }
            reachable = false
            return false
        }
    }

    /// Reports undelivered messages: the peer as unreachable, failed snapshots as failed.
    private func failed(_ batch: [Message]) {
        reports.unreachable(id)
        for m in batch where m.type == .msgSnap { reports.snapshot(id, .failure) }
    }
}
