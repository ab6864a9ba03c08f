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

/// The outgoing half of the link to one peer: the caller writes a batch itself when the way is
/// clear, and a thread does everything that may wait.
///
/// `send` writes straight to the socket, without waiting (`Socket.sendNow`), when the connection
/// is up, nothing is queued or left over, nobody else is writing, and the batch holds no snapshot:
/// the usual case under load, which then costs no wake-up of the thread and one `send` per batch.
/// Otherwise the batch is queued for the thread, which connects (again, with backoff, after a
/// failure), writes with blocking sends, and sends snapshots. What a direct write could not write
/// (a full socket buffer) is left to the thread as bytes, written before anything queued after it,
/// so frames go out in the order of the `send` calls. Only one of them writes at a time: whoever
/// holds `writing` owns the descriptor, and only the thread, holding it, connects and closes.
///
/// Only the thread connects, and it writes the hello with the first batch of each connection
/// before it lets go of `writing`: so the hello comes exactly once per connection, before any
/// message.
///
/// Raft retransmits what matters, so on any failure the undelivered messages are dropped rather
/// than kept: holding them would only deliver stale ones later. The queue is bounded for the same
/// reason: a peer that cannot keep up loses messages, not our memory.
///
/// etcd rafthttp: `peer`, `streamWriter`, `pipeline` (snapshot sending), `peerStatus`.
final class PeerSender: @unchecked Sendable {
    // @unchecked: the mutable fields are only touched with `condition` held, except those of the
    // sender thread alone (`backoffMs`, `nextAttempt`, `reachable`, `nextCheck`).
    let id: UInt64
    let endpoint: Endpoint
    /// Sent first on every connection: the listener closes connections that do not identify.
    private let hello: PeerHello
    private let reports: TransportReports
    private let logger: any Logger
    private let condition = NSCondition()
    private var queue: [Message] = []
    /// The rest of a direct write that did not fit: the thread writes it before the queue.
    private var pending: [UInt8] = []
    private var stopped = false
    /// The connection; set (and closed) only by the thread while it holds `writing`.
    private var fd: Int32 = -1
    /// Whether someone (a caller or the thread) is using `fd`; nobody else may write or close it.
    private var writing = false
    /// A direct write failed: the thread is to close the connection.
    private var broken = false
    /// The thread waits for `writing` to be released: whoever releases it must wake the thread.
    private var threadWaits = false
    private var counts = Counts()
    private var backoffMs = 0
    private var nextAttempt = ContinuousClock.now
    private var reachable = true
    /// When `checkForAnswer` may look again.
    private var nextCheck = ContinuousClock.now

    /// How often the connection is checked for an answer (a removal notice, or its close):
    /// after every batch cost a `poll` per batch under load.
    ///
    /// While connected, the thread sleeps at most this long, so the check happens even when every
    /// batch goes out directly and the thread has nothing else to do. That is about ten wake-ups a
    /// second per peer, none of them on the callers' path; having callers signal when the check
    /// is due instead would put a clock read on every `send`, wake the thread as often under
    /// load, and never look at a connection nobody writes to.
    static let checkInterval = Duration.milliseconds(100)

    static let maxQueued = 4096
    static let maxBackoffMs = 1000

    /// How batches went out: for the tests, which must know which path they took.
    struct Counts: Sendable {
        /// Batches the caller wrote itself (wholly or in part).
        var direct = 0
        /// Direct writes that left a remainder to the thread.
        var handedOff = 0
    }

    var countsSoFar: Counts {
        condition.lock()
        defer { condition.unlock() }
        return counts
    }

    /// The socket's send buffer size (`SO_SNDBUF`) when set: the tests shrink it, so that a few
    /// batches fill it. Left to the kernel otherwise.
    private let sendBuffer: Int32?

    init(id: UInt64, endpoint: Endpoint, hello: PeerHello, reports: TransportReports, logger: any Logger,
         sendBuffer: Int32? = nil) {
        self.sendBuffer = sendBuffer
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

    /// Sends `batch`, in order after everything sent before: writes it directly when the way is
    /// clear, else queues it for the thread. What does not fit in the queue is dropped and the
    /// peer reported unreachable; so is the batch when a direct write fails.
    func send(_ batch: [Message]) {
        if batch.isEmpty { return }
        condition.lock()
        if fd >= 0 && !writing && !broken && !stopped && queue.isEmpty && pending.isEmpty
            && !batch.contains(where: { $0.type == .msgSnap }) {
            writing = true
            let conn = fd
            condition.unlock()
            writeNow(batch, on: conn)
            return
        }
        let wasEmpty = queue.isEmpty
        let taken = stopped ? 0 : min(batch.count, max(Self.maxQueued - queue.count, 0))
        queue.append(contentsOf: batch.prefix(taken))
        // The thread waits only on an empty queue, and takes all of it when it wakes; while
        // someone writes, the thread will look again (it loops, or the caller wakes it).
        if wasEmpty && taken > 0 && !writing { condition.signal() }
        condition.unlock()
        if taken < batch.count { failed(batch[taken...]) }
    }

    func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        condition.unlock()
    }

    /// The caller's write, holding `writing`: whatever the socket does not take now goes to the
    /// thread, and so does a failed connection (to close).
    private func writeNow(_ batch: [Message], on conn: Int32) {
        var bytes: [UInt8] = []
        Self.encode(batch, into: &bytes)
        let written = bytes.withUnsafeBytes { Socket.sendNow(conn, $0) }
        condition.lock()
        writing = false
        counts.direct += 1
        if let written {
            if written < bytes.count {
                pending = Array(bytes[written...])
                counts.handedOff += 1
            }
        } else {
            broken = true
        }
        if threadWaits || broken || !pending.isEmpty || !queue.isEmpty { condition.signal() }
        condition.unlock()
        if written == nil { failed(batch[...]) }
    }

    private func run() {
        condition.lock()
        while true {
            let due = fd >= 0 && ContinuousClock.now >= nextCheck
            let work = stopped || broken || due || !pending.isEmpty || !queue.isEmpty
            if writing || !work {
                threadWaits = work
                if work || fd < 0 {
                    condition.wait()
                } else {
                    let left = ContinuousClock.now.duration(to: nextCheck)
                    _ = condition.wait(until: Date(timeIntervalSinceNow: Self.seconds(left)))
                }
                continue
            }
            threadWaits = false
            writing = true
            if stopped { break }
            let (leftover, batch, wasBroken) = (pending, queue, broken)
            pending = []
            queue = []
            broken = false
            var conn = fd
            condition.unlock()
            if wasBroken { lose(&conn) }
            if !leftover.isEmpty && conn >= 0 && !Socket.sendAll(conn, leftover) {
                lose(&conn)
                reports.unreachable(id)
            }
            if !batch.isEmpty { deliver(batch, on: &conn) }
            if conn >= 0 && ContinuousClock.now >= nextCheck { checkForAnswer(&conn) }
            condition.lock()
            fd = conn
            writing = false
        }
        let conn = fd
        fd = -1
        condition.unlock()
        if conn >= 0 { LibC.close(conn) }
    }

    /// Writes `batch` with blocking sends, on a new connection (after its hello) if there is
    /// none; reports snapshots written out, or what could not be delivered.
    private func deliver(_ batch: [Message], on conn: inout Int32) {
        var bytes: [UInt8] = []
        if conn < 0 {
            guard let fd = connect() else {
                failed(batch[...])
                return
            }
            conn = fd
            Frame.append(hello.encoded(), to: &bytes)
        }
        Self.encode(batch, into: &bytes)
        if Socket.sendAll(conn, bytes) {
            for m in batch where m.type == .msgSnap { reports.snapshot(id, .finish) }
            return
        }
        lose(&conn)
        failed(batch[...])
    }

    private static func encode(_ batch: [Message], into bytes: inout [UInt8]) {
        for m in batch { Frame.append(MessageCodec.encode(m), to: &bytes) }
    }

    /// Peers never write on our connection except to say we were removed (or by closing it):
    /// look, without waiting, whether they did; at most every `checkInterval`.
    private func checkForAnswer(_ conn: inout Int32) {
        nextCheck = ContinuousClock.now + Self.checkInterval
        if answered(conn) {
            LibC.close(conn)
            conn = -1
        }
    }

    /// Closes a connection a write failed on, after looking for the removal notice that may be
    /// why the peer closed it.
    private func lose(_ conn: inout Int32) {
        if conn < 0 { return }
        _ = answered(conn)
        logger.warning("transport: lost the connection to peer \(id) at \(endpoint)")
        LibC.close(conn)
        conn = -1
    }

    /// Whether the peer wrote or closed its end; reports a removal notice.
    private func answered(_ conn: Int32) -> Bool {
        var p = pollfd(fd: conn, events: Int16(POLLIN), revents: 0)
        guard poll(&p, 1, 0) > 0 else { return false }
        let notice = Transport.removedNotice
        if case .frame(let payload) = Frame.read(from: conn, maxPayload: notice.count, deadline: .now + .seconds(1)),
           payload == notice {
            logger.warning("transport: peer \(id) says this node was removed from the cluster")
            reports.removed(id)
        }
        return true
    }

    /// Connects unless the backoff says to wait; logs changes of reachability only.
    private func connect() -> Int32? {
        if ContinuousClock.now < nextAttempt { return nil }
        do {
            let fd = try Socket.connect(endpoint, timeoutMs: 500)
            Socket.setTimeouts(fd, receiveMs: nil, sendMs: 5000)
            if var size = sendBuffer {
                setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, socklen_t(MemoryLayout<Int32>.size))
            }
            backoffMs = 0
            if !reachable { logger.info("transport: peer \(id) at \(endpoint) is reachable again") }
            reachable = true
            return fd
        } catch {
            backoffMs = min(max(backoffMs * 2, 50), Self.maxBackoffMs)
            nextAttempt = ContinuousClock.now + .milliseconds(backoffMs)
            if reachable { logger.warning("transport: peer \(id) unreachable (\(error)); retrying with backoff") }
            reachable = false
            return nil
        }
    }

    /// Reports undelivered messages: the peer as unreachable, failed snapshots as failed.
    private func failed(_ batch: ArraySlice<Message>) {
        reports.unreachable(id)
        for m in batch where m.type == .msgSnap { reports.snapshot(id, .failure) }
    }

    private static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }
}
