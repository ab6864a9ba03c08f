import Foundation
import Glibc
import Raft

/// A small HTTP/1.1 server over POSIX sockets: a thread accepts, a thread per connection reads
/// requests (keep-alive), calls the handler, writes the response.
///
/// Threads rather than an event loop because the handler blocks (a write waits for raft to
/// commit it), and a thread per connection with a cap is the simplest correct shape for that.
/// Every size is bounded (head, body, connections) and every read has a timeout, so a slow or
/// hostile client costs one thread for a while, never the process.
public final class HTTPServer: Sendable {
    private let listenFD: Int32
    private let handler: @Sendable (HTTPRequest) -> HTTPResponse
    private let logger: any Logger
    private let connections = Locked(Set<Int32>())
    private let stopped = Locked(false)

    static let maxConnections = 512
    static let idleTimeoutMs = 30_000

    public init(listen: Endpoint, logger: any Logger,
                handler: @escaping @Sendable (HTTPRequest) -> HTTPResponse) throws {
        listenFD = try Socket.listen(listen, backlog: 512)
        self.handler = handler
        self.logger = logger
    }

    public var port: UInt16 { Socket.localPort(listenFD) }

    public func start() {
        let listener = listenFD
        let thread = Thread { [self] in
            while let fd = Socket.accept(listener) {
                let admitted = connections.withLock { c -> Bool in
                    guard !stopped.withLock({ $0 }), c.count < Self.maxConnections else { return false }
                    c.insert(fd)
                    return true
                }
                if !admitted {
                    _ = Socket.sendAll(fd, HTTPResponse(503, line: "too many connections").serialized(keepAlive: false))
                    close(fd)
                    continue
                }
                let worker = Thread { [self] in serve(fd) }
                worker.name = "raftkv-http"
                worker.start()
            }
            close(listener)
        }
        thread.name = "raftkv-http-accept"
        thread.start()
    }

    public func stop() {
        stopped.withLock { $0 = true }
        Socket.shutdownBoth(listenFD)
        for fd in connections.withLock({ $0 }) { Socket.shutdownBoth(fd) }
    }

    /// Serves one connection until the client closes it, asks to, errs, or idles out.
    private func serve(_ fd: Int32) {
        defer {
            connections.withLock { _ = $0.remove(fd) }
            close(fd)
        }
        Socket.noDelay(fd)
        Socket.setTimeouts(fd, receiveMs: Self.idleTimeoutMs, sendMs: 10_000)
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
            let response = handler(request)
            let keepAlive = request.head.keepAlive
            guard Socket.sendAll(fd, response.serialized(keepAlive: keepAlive)), keepAlive else { return }
        }
    }

    enum ReadResult {
        case request(HTTPRequest)
        case failed(HTTPError)
        case closed
    }

    /// Reads one request, keeping bytes past it (pipelining) in `buffer`.
    private func readRequest(_ fd: Int32, _ buffer: inout [UInt8]) -> ReadResult {
        let separator: [UInt8] = [13, 10, 13, 10]
        var headEnd: Int?
        var searchFrom = 0
        while headEnd == nil {
            if let k = Self.find(separator, in: buffer, from: searchFrom) {
                headEnd = k
                break
            }
            if buffer.count > HTTPRequestHead.maxHeadBytes {
                return .failed(HTTPError(431, "request head larger than \(HTTPRequestHead.maxHeadBytes) bytes"))
            }
            searchFrom = max(0, buffer.count - 3)
            guard let chunk = Socket.receive(fd, max: 16 << 10) else {
                return buffer.isEmpty ? .closed : .failed(HTTPError(400, "connection closed or timed out inside a request"))
            }
            buffer += chunk
        }
        guard let end = headEnd else { return .closed }
        if end > HTTPRequestHead.maxHeadBytes {
            return .failed(HTTPError(431, "request head larger than \(HTTPRequestHead.maxHeadBytes) bytes"))
        }
        do {
            let head = try HTTPRequestHead.parse(buffer[0..<end])
            let length = try head.bodyLength()
            let bodyStart = end + 4
            while buffer.count - bodyStart < length {
                guard let chunk = Socket.receive(fd, max: min(length - (buffer.count - bodyStart), 64 << 10)) else {
                    return .failed(HTTPError(400, "body shorter than its Content-Length"))
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

    static func find(_ needle: [UInt8], in hay: [UInt8], from: Int) -> Int? {
        guard hay.count >= needle.count, from <= hay.count - needle.count else { return nil }
        var k = from
        while k <= hay.count - needle.count {
            if hay[k] == needle[0] && hay[k + 1] == needle[1] && hay[k + 2] == needle[2] && hay[k + 3] == needle[3] {
                return k
            }
            k += 1
        }
        return nil
    }
}
