import Foundation
import Raft

/// A small HTTP/1.1 server over POSIX sockets: a thread accepts, a thread per connection reads
/// requests (keep-alive), calls the handler, writes the response.
///
/// Threads rather than an event loop because the handler blocks (a write waits for raft to
/// commit it), and a thread per connection with a cap is the simplest correct shape for that.
/// Every size is bounded (head, body, connections) and so is every wait: a request must arrive
/// whole within `Limits.requestMs` of its first byte, however slowly it trickles, a malformed
/// head is answered 400 at the first byte that makes it so, and at the connection cap the
/// connection waiting longest gives way to the newcomer (`HTTPConnections`). So a slow or
/// hostile client costs one thread for a while, never the service.
public final class HTTPServer: Sendable {
    /// The server's bounds on connections and time.
    public struct Limits: Sendable {
        public var maxConnections = 512
        /// How long a kept-alive connection may wait for its next request to start.
        public var idleMs = 30_000
        /// How long a request (head and body) may take to arrive, from its first byte.
        public var requestMs = 10_000
        public init() {}
    }

    private let listenFD: Int32
    private let handler: @Sendable (HTTPRequest) -> HTTPResponse
    private let logger: any Logger
    private let limits: Limits
    private let connections: Locked<HTTPConnections>
    private let stopped = Locked(false)

    public init(listen: Endpoint, logger: any Logger, limits: Limits = Limits(),
                handler: @escaping @Sendable (HTTPRequest) -> HTTPResponse) throws {
        listenFD = try Socket.listen(listen, backlog: 512)
        self.handler = handler
        self.logger = logger
        self.limits = limits
        connections = Locked(HTTPConnections(capacity: limits.maxConnections))
    }

    public var port: UInt16 { Socket.localPort(listenFD) }

    public func start() {
        AcceptLoop.start(listener: listenFD, name: "raftkv-http", admit: { [self] fd in
            let admission = connections.withLock { c -> HTTPConnections.Admission in
                stopped.withLock { $0 } ? .refused : c.admit(fd)
            }
            switch admission {
            case .admitted:
                return true
            case .admittedClosing(let oldest):
                Socket.shutdownBoth(oldest) // its thread wakes and closes it
                return true
            case .refused:
                _ = Socket.sendAll(fd, HTTPResponse(503, line: "too many connections").serialized(keepAlive: false))
                LibC.close(fd)
                return false
            }
        }, serve: { [self] fd in serve(fd) })
    }

    public func stop() {
        stopped.withLock { $0 = true }
        Socket.shutdownBoth(listenFD)
        for fd in connections.withLock({ $0.all }) { Socket.shutdownBoth(fd) }
    }

    /// Serves one connection until the client closes it, asks to, errs, or idles out.
    private func serve(_ fd: Int32) {
        defer {
            connections.withLock { $0.remove(fd) }
            LibC.close(fd)
        }
        Socket.noDelay(fd)
        Socket.setTimeouts(fd, receiveMs: nil, sendMs: 10_000)
        var buffer: [UInt8] = []
        while true {
            let request: HTTPRequest
            switch readRequest(fd, &buffer) {
            case .closed:
                return
            case .failed(let error):
                _ = Socket.sendAll(fd, HTTPResponse(error.status, line: error.reason).serialized(keepAlive: false))
                return
            case .request(let r):
                request = r
            }
            connections.withLock { $0.set(fd, .handling) }
            let response = handler(request)
            let keepAlive = request.head.keepAlive
            guard Socket.sendAll(fd, response.serialized(keepAlive: keepAlive)), keepAlive else { return }
            connections.withLock { $0.set(fd, .waiting) }
        }
    }

    enum ReadResult {
        case request(HTTPRequest)
        case failed(HTTPError)
        case closed
    }

    /// Reads one request, keeping bytes past it (pipelining) in `buffer`: waits up to
    /// `idleMs` for it to start, then up to `requestMs` for all of it.
    private func readRequest(_ fd: Int32, _ buffer: inout [UInt8]) -> ReadResult {
        var deadline: ContinuousClock.Instant = .now + .milliseconds(buffer.isEmpty ? limits.idleMs : limits.requestMs)
        var scanner = HTTPHeadScanner()
        while true {
            do throws(HTTPError) {
                if let end = try scanner.scan(buffer) {
                    return readBody(fd, &buffer, headEnd: end, deadline: deadline)
                }
            } catch {
                return .failed(error)
            }
            guard let chunk = Socket.receive(fd, max: 16 << 10, deadline: deadline) else {
                if buffer.isEmpty { return .closed }
                if ContinuousClock.now >= deadline {
                    return .failed(HTTPError(408, "request not complete within \(limits.requestMs) ms"))
                }
                return .failed(HTTPError(400, "connection closed inside a request"))
            }
            if buffer.isEmpty { deadline = .now + .milliseconds(limits.requestMs) }
            buffer += chunk
        }
    }

    /// Parses the head that ends at `headEnd` and reads the body it announces.
    private func readBody(_ fd: Int32, _ buffer: inout [UInt8], headEnd end: Int,
                          deadline: ContinuousClock.Instant) -> ReadResult {
        do {
            let head = try HTTPRequestHead.parse(buffer[0..<end])
            let length = try head.bodyLength()
            let bodyStart = end + 4
            while buffer.count - bodyStart < length {
                guard let chunk = Socket.receive(fd, max: min(length - (buffer.count - bodyStart), 64 << 10),
                                                 deadline: deadline) else {
                    return .failed(HTTPError(400, "body shorter than its Content-Length, or later than \(limits.requestMs) ms"))
                }
                buffer += chunk
            }
            let body = Array(buffer[bodyStart..<(bodyStart + length)])
            buffer.removeSubrange(0..<(bodyStart + length))
            return .request(HTTPRequest(head: head, body: body))
        } catch {
            return .failed(error)
        }
    }
}
