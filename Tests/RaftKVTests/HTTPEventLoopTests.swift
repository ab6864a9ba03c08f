import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Raft
import Testing
@testable import RaftKV

/// The HTTP event loop's own logic: a connection's partial reads and writes, pipelining, its
/// deadlines (`HTTPConnection`), the eviction policy at the cap (`HTTPConnections`), and the
/// same through real sockets on a server with small limits (`HTTPServer`).
@Suite struct HTTPEventLoopTests {
    static let t0 = ContinuousClock.now

    static func limits(requestMs: Int = 10_000, idleMs: Int = 30_000, maxConnections: Int = 512) -> HTTPServer.Limits {
        var l = HTTPServer.Limits()
        l.requestMs = requestMs
        l.idleMs = idleMs
        l.maxConnections = maxConnections
        return l
    }

    static func feed(_ c: HTTPConnection, _ text: String, at now: ContinuousClock.Instant = t0) {
        Array(text.utf8).withUnsafeBytes { c.received($0, now: now) }
    }

    /// Everything `c` has queued, written through a socket that takes `step` bytes a call and
    /// refuses every other call (EAGAIN).
    static func drain(_ c: HTTPConnection, step: Int = 3) -> String {
        var out: [UInt8] = []
        var refuse = false
        while c.wantsWrite {
            let ok = c.flush { base, count in
                refuse.toggle()
                if refuse { return .wouldBlock }
                let n = min(step, count)
                out += UnsafeRawBufferPointer(start: base, count: n)
                return .wrote(n)
            }
            #expect(ok)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Pipelined requests that arrive a byte at a time come out one by one, the next only once
    /// the one before was answered, and their answers go out whole through partial writes.
    @Test func partialReadsAndWritesKeepPipelinedRequestsInOrder() {
        let c = HTTPConnection(id: 1, fd: -1, limits: Self.limits(), now: Self.t0)
        let text = "PUT /a HTTP/1.1\r\nContent-Length: 3\r\n\r\nabcGET /b HTTP/1.1\r\nConnection: close\r\n\r\n"
        var requests: [(HTTPRequestHead, [UInt8])] = []
        for byte in text.utf8 {
            Self.feed(c, String(decoding: [byte], as: UTF8.self))
            if case .request(let head, let body) = c.next(now: Self.t0) { requests.append((head, body)) }
        }
        #expect(requests.count == 1, "the second request waits for the first one's answer")
        #expect(requests.first?.0.target == "/a" && requests.first?.1 == Array("abc".utf8))
        #expect(!c.wantsRead)
        c.respond(HTTPResponse(204), now: Self.t0)
        #expect(Self.drain(c) == "HTTP/1.1 204 No Content\r\n\r\n")
        guard case .request(let second, _) = c.next(now: Self.t0) else {
            Issue.record("the pipelined request was not taken after the first answer")
            return
        }
        #expect(second.target == "/b")
        c.respond(HTTPResponse(200, Array("v".utf8)), now: Self.t0)
        #expect(Self.drain(c, step: 1).hasSuffix("Connection: close\r\n\r\nv"))
        #expect(c.finished)
    }

    /// A head that trickles in is answered 408 once `requestMs` passed since its first byte
    /// (however many bytes keep coming), a body that does not come 400; an idle connection is
    /// closed silently at `idleMs`.
    @Test func deadlines() {
        let l = Self.limits(requestMs: 1000, idleMs: 5000)
        let slow = HTTPConnection(id: 1, fd: -1, limits: l, now: Self.t0)
        Self.feed(slow, "G", at: Self.t0)
        Self.feed(slow, "E", at: Self.t0 + .milliseconds(900))
        #expect(slow.next(now: Self.t0 + .milliseconds(900)) == .none)
        #expect(slow.expire(now: Self.t0 + .milliseconds(999)) == .nothing)
        #expect(slow.expire(now: Self.t0 + .milliseconds(1000)) == .answered)
        #expect(Self.drain(slow).hasPrefix("HTTP/1.1 408 "))
        #expect(slow.finished)

        let body = HTTPConnection(id: 2, fd: -1, limits: l, now: Self.t0)
        Self.feed(body, "PUT /k HTTP/1.1\r\nContent-Length: 9\r\n\r\nab")
        #expect(body.next(now: Self.t0) == .none)
        #expect(body.expire(now: Self.t0 + .milliseconds(1000)) == .answered)
        #expect(Self.drain(body).hasPrefix("HTTP/1.1 400 "))

        let idle = HTTPConnection(id: 3, fd: -1, limits: l, now: Self.t0)
        #expect(idle.expire(now: Self.t0 + .milliseconds(4999)) == .nothing)
        #expect(idle.expire(now: Self.t0 + .milliseconds(5000)) == .close)

        // While a request is with the handler no deadline runs (raft's own timeout bounds it).
        let busy = HTTPConnection(id: 4, fd: -1, limits: l, now: Self.t0)
        Self.feed(busy, "GET /k HTTP/1.1\r\n\r\n")
        guard case .request = busy.next(now: Self.t0) else { Issue.record("no request"); return }
        #expect(busy.deadline == nil)
        #expect(busy.expire(now: Self.t0 + .seconds(60)) == .nothing)
    }

    /// Junk is refused at its first bad byte, without waiting for a blank line.
    @Test func malformedHeadIsAnsweredAtOnce() {
        let c = HTTPConnection(id: 1, fd: -1, limits: Self.limits(), now: Self.t0)
        Self.feed(c, "GET /k HTTP/1.1\n")
        guard case .failed(let error) = c.next(now: Self.t0) else { Issue.record("not refused"); return }
        #expect(error.status == 400)
        #expect(Self.drain(c).hasPrefix("HTTP/1.1 400 "))
        #expect(c.finished)
    }

    /// At the cap, the connection that has waited longest gives way; busy ones never do.
    @Test func evictionAtTheCap() {
        var c = HTTPConnections(capacity: 2)
        let t = { (s: Int) in Self.t0 + .seconds(s) }
        #expect(c.admit(10, now: t(0)) == .admitted)
        #expect(c.admit(11, now: t(1)) == .admitted)
        #expect(c.admit(12, now: t(2)) == .admittedClosing(10))
        // 11 trickles its head a byte at a time (the loop says "waiting" at each read): it has
        // still waited since t(1), longer than 12.
        c.set(11, .waiting, now: t(3))
        #expect(c.admit(13, now: t(4)) == .admittedClosing(11))
        c.set(12, .handling, now: t(5))
        #expect(c.admit(14, now: t(6)) == .admittedClosing(13))
        c.set(14, .handling, now: t(7))
        #expect(c.admit(15, now: t(8)) == .refused)
    }

    // MARK: - Through sockets

    final class Server {
        let http: HTTPServer
        let endpoint: Endpoint
        init(_ limits: HTTPServer.Limits, endOfBatch: @escaping @Sendable () -> Void = {},
             handler: @escaping @Sendable (HTTPRequest, @escaping @Sendable (HTTPResponse) -> Void) -> Void) throws {
            http = try HTTPServer(listen: Endpoint(host: "127.0.0.1", port: 0), limits: limits,
                                  endOfBatch: endOfBatch, handler: handler)
            endpoint = Endpoint(host: "127.0.0.1", port: http.port)
            http.start()
        }
        deinit { http.stop() }
    }

    /// Reads until the server closes the connection or `seconds` pass.
    static func readAll(_ fd: Int32, seconds: Double = 5) -> String {
        var out: [UInt8] = []
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while let chunk = Socket.receive(fd, max: 4096, deadline: deadline) { out += chunk }
        return String(decoding: out, as: UTF8.self)
    }

    /// Answers that come back out of order from other threads still go out in request order.
    @Test func answersFromOtherThreadsGoOutInRequestOrder() throws {
        let server = try Server(Self.limits()) { request, reply in
            let delay: UInt32 = request.head.target == "/slow" ? 200_000 : 0
            Thread { usleep(delay); reply(HTTPResponse(200, Array(request.head.target.utf8))) }.start()
        }
        let fd = try Socket.connect(server.endpoint, timeoutMs: 2000)
        defer { close(fd) }
        let text = "GET /slow HTTP/1.1\r\n\r\nGET /fast HTTP/1.1\r\n\r\nGET /last HTTP/1.1\r\nConnection: close\r\n\r\n"
        for piece in Array(text.utf8).chunked(7) { #expect(Socket.sendAll(fd, Array(piece))); usleep(1000) }
        let answer = Self.readAll(fd)
        let bodies = ["/slow", "/fast", "/last"].compactMap { answer.range(of: "\r\n\r\n" + $0)?.lowerBound }
        #expect(bodies.count == 3 && bodies == bodies.sorted(), "\(answer)")
    }

    /// `endOfBatch` follows every pass of the loop that handed the handler requests, on the
    /// loop's thread: a handler that only queues (as raftkv's writes do) and answers in
    /// `endOfBatch` answers every request, including pipelined ones handed after an answer.
    @Test func endOfBatchFollowsEveryHandedOverRequest() throws {
        let queued = Locked<[@Sendable (HTTPResponse) -> Void]>([])
        let batches = Locked(0)
        let server = try Server(Self.limits(), endOfBatch: {
            batches.withLock { $0 += 1 }
            for reply in queued.withLock({ q in defer { q = [] }; return q }) { reply(HTTPResponse(204)) }
        }) { _, reply in
            queued.withLock { $0.append(reply) }
        }
        var fds: [Int32] = []
        defer { for fd in fds { close(fd) } }
        for _ in 0..<8 {
            let fd = try Socket.connect(server.endpoint, timeoutMs: 2000)
            fds.append(fd)
            let text = "PUT /a HTTP/1.1\r\nContent-Length: 1\r\n\r\nxPUT /b HTTP/1.1\r\nContent-Length: 1\r\nConnection: close\r\n\r\ny"
            #expect(Socket.sendAll(fd, Array(text.utf8)))
        }
        for fd in fds {
            let answer = Self.readAll(fd, seconds: 5)
            #expect(answer.components(separatedBy: "HTTP/1.1 204 ").count == 3, "\(answer)")
        }
        let n = batches.withLock { $0 }
        #expect(n >= 2 && n <= 16, "one call per pass that handed requests, not per idle pass: \(n)")
    }

    /// A client trickling its head is answered 408 after `requestMs`, through the loop's timer.
    @Test func slowClientIsAnswered408() throws {
        let server = try Server(Self.limits(requestMs: 300)) { _, reply in reply(HTTPResponse(204)) }
        let fd = try Socket.connect(server.endpoint, timeoutMs: 2000)
        defer { close(fd) }
        let started = ContinuousClock.now
        #expect(Socket.sendAll(fd, Array("GET /k HT".utf8)))
        let answer = Self.readAll(fd, seconds: 3)
        #expect(answer.hasPrefix("HTTP/1.1 408 "), "\(answer)")
        #expect(ContinuousClock.now - started < .seconds(2))
    }

    /// With the cap reached by idle connections, a newcomer is served and the oldest idle
    /// connection is closed to make room.
    @Test func newcomerDisplacesTheOldestIdleConnection() throws {
        let server = try Server(Self.limits(maxConnections: 2)) { _, reply in reply(HTTPResponse(204)) }
        let first = try Socket.connect(server.endpoint, timeoutMs: 2000)
        defer { close(first) }
        usleep(50_000)
        let second = try Socket.connect(server.endpoint, timeoutMs: 2000)
        defer { close(second) }
        usleep(50_000)
        let third = try Socket.connect(server.endpoint, timeoutMs: 2000)
        defer { close(third) }
        #expect(Socket.sendAll(third, Array("GET /k HTTP/1.1\r\nConnection: close\r\n\r\n".utf8)))
        #expect(Self.readAll(third).hasPrefix("HTTP/1.1 204 "))
        var closed = pollfd(fd: first, events: Int16(POLLIN), revents: 0)
        #expect(poll(&closed, 1, 2000) == 1, "the oldest idle connection is closed")
        var byte: UInt8 = 0
        #expect(recv(first, &byte, 1, 0) == 0, "closed without an answer")
        var p = pollfd(fd: second, events: Int16(POLLIN), revents: 0)
        #expect(poll(&p, 1, 100) == 0, "the younger idle connection is left open")
    }
}

extension Array {
    func chunked(_ size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
