import Foundation
import Raft

/// The thread that serves every HTTP connection: one `poll(2)` over the listener, the doorbell
/// and each connection's non-blocking socket; it accepts, reads, hands whole requests to the
/// handler, and writes the answers, which come back through `post` from whichever thread has
/// them (the Ready loop for writes).
///
/// Why one loop rather than a thread per connection: a thread each cost a quarter of raftkv's
/// CPU under load (scheduling, stacks, a futex wake per request when raft's answer came). Here
/// the Ready loop answers a whole batch of writes with one doorbell ring at most: `post` rings
/// only when the loop sleeps in `poll` and nobody rang since, and the loop takes every queued
/// answer at once. `poll` rather than epoll/kqueue so that one path serves Linux and macOS; at
/// the cap of 512 connections, walking the array per wake-up costs less than the syscalls saved.
///
/// Thread-confined: everything but `inbox` is touched by the loop's thread only (hence
/// `@unchecked Sendable`); `inbox` is behind a lock.
final class HTTPEventLoop: @unchecked Sendable {
    /// Handed a request and the callback that answers it (on any thread, once).
    typealias Handler = @Sendable (HTTPRequest, @escaping @Sendable (HTTPResponse) -> Void) -> Void

    private let listenFD: Int32
    private let limits: HTTPServer.Limits
    private let handler: Handler
    /// Called after each pass of the loop that handed the handler a request: the handler queues
    /// writes, and this proposes them together (`HTTPAPI.endOfBatch`).
    private let endOfBatch: @Sendable () -> Void
    private let doorbell: Doorbell

    /// What other threads hand the loop: answers, and the request to stop.
    private struct Inbox {
        var answers: [(id: UInt64, fd: Int32, response: HTTPResponse)] = []
        /// The loop is in (or about to enter) `poll` with nothing queued: a post must ring.
        var sleeping = false
        /// Rang since the loop last woke: later posts need not ring again.
        var rung = false
        var stopped = false
    }
    private let inbox = Locked(Inbox())

    // Loop-thread state.
    private var connections: [Int32: HTTPConnection] = [:]
    private var admission: HTTPConnections
    private var nextID: UInt64 = 0
    private var acceptPausedUntil: ContinuousClock.Instant?
    private var pollFDs: [pollfd] = []
    /// Whether this pass handed the handler a request (`endOfBatch` is due).
    private var handedRequests = false
    /// Where `recv` puts a connection's bytes before they are appended to its input.
    private let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 << 10, alignment: 16)

    init(listenFD: Int32, limits: HTTPServer.Limits, endOfBatch: @escaping @Sendable () -> Void = {},
         handler: @escaping Handler) throws(SystemError) {
        self.listenFD = listenFD
        self.limits = limits
        self.endOfBatch = endOfBatch
        self.handler = handler
        doorbell = try Doorbell()
        admission = HTTPConnections(capacity: limits.maxConnections)
        Socket.nonBlocking(listenFD)
    }

    deinit { scratch.deallocate() }

    func start(name: String) {
        let thread = Thread { [self] in run() }
        thread.name = name
        thread.start()
    }

    /// Ends the loop: it closes the listener and every connection; answers still to come are
    /// dropped.
    func stop() {
        inbox.withLock { $0.stopped = true }
        doorbell.ring()
    }

    /// Queues the answer for connection `id` (on `fd`) and wakes the loop if it sleeps.
    func post(id: UInt64, fd: Int32, _ response: HTTPResponse) {
        let ring = inbox.withLock { b -> Bool in
            guard !b.stopped else { return false }
            b.answers.append((id, fd, response))
            guard b.sleeping, !b.rung else { return false }
            b.rung = true
            return true
        }
        if ring { doorbell.ring() }
    }

    private func run() {
        var answers: [(id: UInt64, fd: Int32, response: HTTPResponse)] = []
        while true {
            let stopped = inbox.withLock { b -> Bool in
                swap(&answers, &b.answers)
                if answers.isEmpty { b.sleeping = true }
                return b.stopped
            }
            if stopped { break }
            if !answers.isEmpty {
                let now = ContinuousClock.now
                for a in answers {
                    guard let c = connections[a.fd], c.id == a.id else { continue } // closed since
                    c.respond(a.response, now: now)
                    pump(c, now: now)
                }
                answers.removeAll(keepingCapacity: true)
                endPass()
                continue // take what came meanwhile before sleeping
            }
            waitAndServe()
            endPass()
        }
        for fd in connections.keys { LibC.close(fd) }
        connections.removeAll()
        LibC.close(listenFD)
    }

    /// Calls `endOfBatch` if the pass just ended handed the handler a request.
    private func endPass() {
        guard handedRequests else { return }
        handedRequests = false
        endOfBatch()
    }

    /// One `poll` (until the nearest deadline) and whatever it reports.
    private func waitAndServe() {
        var now = ContinuousClock.now
        pollFDs.removeAll(keepingCapacity: true)
        let acceptOK = acceptPausedUntil.map { now >= $0 } ?? true
        pollFDs.append(pollfd(fd: doorbell.readFD, events: Int16(POLLIN), revents: 0))
        pollFDs.append(pollfd(fd: acceptOK ? listenFD : -1, events: Int16(POLLIN), revents: 0))
        var nearest = now + .seconds(1)
        if !acceptOK, let until = acceptPausedUntil { nearest = min(nearest, until) }
        for c in connections.values {
            var events: Int32 = 0
            if c.wantsRead { events |= Int32(POLLIN) }
            if c.wantsWrite { events |= Int32(POLLOUT) }
            pollFDs.append(pollfd(fd: c.fd, events: Int16(events), revents: 0))
            if let d = c.deadline { nearest = min(nearest, d) }
        }
        let wait = now.duration(to: nearest)
        let ms = wait <= .zero ? 0 : Int32(clamping: wait.components.seconds * 1000
                                           + wait.components.attoseconds / 1_000_000_000_000_000 + 1)
        let ready = poll(&pollFDs, nfds_t(pollFDs.count), ms)
        inbox.withLock { b in
            b.sleeping = false
            b.rung = false
        }
        now = .now
        if ready > 0 {
            if pollFDs[0].revents != 0 { doorbell.drain() }
            for k in 2..<pollFDs.count where pollFDs[k].revents != 0 {
                guard let c = connections[pollFDs[k].fd] else { continue } // closed meanwhile
                serve(c, revents: Int32(pollFDs[k].revents), now: now)
            }
            // Last: an accept may reuse the number of a connection closed above, whose
            // `revents` must not be read as the newcomer's.
            if pollFDs[1].revents != 0 { acceptAll(now: now) }
        }
        guard now >= nearest else { return }
        for c in Array(connections.values) {
            guard let d = c.deadline, now >= d else { continue }
            switch c.expire(now: now) {
            case .nothing: break
            case .answered: pump(c, now: now)
            case .close: close(c)
            }
        }
    }

    /// Reads or writes what `poll` says `c` is ready for.
    private func serve(_ c: HTTPConnection, revents: Int32, now: ContinuousClock.Instant) {
        if revents & Int32(POLLNVAL) != 0 { return close(c) }
        if c.wantsRead && revents & Int32(POLLIN | POLLHUP | POLLERR) != 0 {
            let n = recv(c.fd, scratch.baseAddress, scratch.count, 0)
            if n > 0 { c.received(UnsafeRawBufferPointer(rebasing: scratch[0..<n]), now: now) }
            if n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
                if c.endOfStream(now: now) || n < 0 { return close(c) }
            }
        } else if revents & Int32(POLLERR | POLLHUP) != 0 && !c.wantsWrite {
            // Gone (reset, or both directions shut) while its request is with the handler: the
            // answer would go nowhere, and `poll` would keep reporting the hang-up until it came.
            // (A client that only shut its sending side is not reported here: its answer is sent.)
            return close(c)
        }
        pump(c, now: now)
    }

    /// Moves `c` along as far as it goes now: writes its output, then takes its next request
    /// (answering malformed ones itself), until it must wait for the client or the handler.
    private func pump(_ c: HTTPConnection, now: ContinuousClock.Instant) {
        while true {
            let fd = c.fd
            let alive = c.flush { base, count in
                let n = send(fd, base, count, LibC.sendFlags)
                if n > 0 { return .wrote(n) }
                if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) { return .wouldBlock }
                return .failed
            }
            guard alive else { return close(c) }
            if c.finished { return close(c) }
            if c.wantsWrite { return }
            if c.isWaiting { admission.set(fd, .waiting, now: now) }
            switch c.next(now: now) {
            case .none:
                return
            case .failed:
                continue
            case .request(let head, let body):
                admission.set(fd, .handling, now: now)
                handedRequests = true
                let id = c.id
                handler(HTTPRequest(head: head, body: body)) { [self] response in
                    post(id: id, fd: fd, response)
                }
                return
            }
        }
    }

    /// Accepts every waiting connection (up to a bound per wake-up, so that a flood of connects
    /// cannot starve the connections already open).
    private func acceptAll(now: ContinuousClock.Instant) {
        for _ in 0..<64 {
            let fd: Int32
            switch Socket.acceptOne(listenFD) {
            case .connection(let accepted): fd = accepted
            case .outOfDescriptors:
                // Try again a little later rather than spin.
                acceptPausedUntil = now + .milliseconds(50)
                return
            case .none: return // EAGAIN: none left
            }
            switch admission.admit(fd, now: now) {
            case .admitted:
                break
            case .admittedClosing(let oldest):
                if let old = connections[oldest] { close(old, admitted: false) }
            case .refused:
                _ = send(fd, Self.tooMany, Self.tooMany.count, LibC.sendFlags)
                LibC.close(fd)
                continue
            }
            Socket.nonBlocking(fd)
            Socket.noDelay(fd)
            nextID += 1
            connections[fd] = HTTPConnection(id: nextID, fd: fd, limits: limits, now: now)
        }
    }

    private static let tooMany = HTTPResponse(503, line: "too many connections").serialized(keepAlive: false)

    /// Closes `c`; `admitted` is false when `HTTPConnections` already let it go (evicted).
    private func close(_ c: HTTPConnection, admitted: Bool = true) {
        if admitted { admission.remove(c.fd) }
        connections[c.fd] = nil
        LibC.close(c.fd)
    }
}
