#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A minimal blocking HTTP/1.1 client over one keep-alive connection: what the benchmark's
/// clients and the process tests use to talk to raftkv, with a timeout on every call so that a
/// test can fail but never hang.
public final class HTTPClient {
    public let endpoint: Endpoint
    private let timeoutMs: Int
    private var fd: Int32 = -1
    private var buffer: [UInt8] = []

    public struct Response: Sendable, Equatable {
        public var status: Int
        public var body: [UInt8]
        public var text: String { String(decoding: body, as: UTF8.self) }
    }

    public init(_ endpoint: Endpoint, timeoutMs: Int = 10_000) {
        self.endpoint = endpoint
        self.timeoutMs = timeoutMs
    }

    deinit { if fd >= 0 { LibC.close(fd) } }

    /// One request; nil when the server could not be reached or answered garbage (the
    /// connection is then dropped, and the next call reconnects).
    public func request(_ method: String, _ path: String, body: [UInt8]? = nil) -> Response? {
        for attempt in 0..<2 {
            let fresh = fd < 0
            if fresh {
                guard let c = try? Socket.connect(endpoint, timeoutMs: Int32(min(timeoutMs, 2000))) else { return nil }
                fd = c
                buffer = []
                Socket.setTimeouts(fd, receiveMs: timeoutMs, sendMs: timeoutMs)
            }
            var head = "\(method) \(path) HTTP/1.1\r\nHost: \(endpoint)\r\n"
            if let body { head += "Content-Length: \(body.count)\r\n" }
            head += "\r\n"
            if Socket.sendAll(fd, Array(head.utf8) + (body ?? [])), let r = readResponse() { return r }
            drop()
            // A kept-alive connection may have been closed by the server meanwhile: retry once
            // on a fresh one, but never resend on a fresh connection that failed.
            if fresh || attempt == 1 { return nil }
        }
        return nil
    }

    /// Sends raw bytes and reads whatever answer comes (for malformed-request tests).
    public func raw(_ bytes: [UInt8]) -> Response? {
        drop()
        guard let c = try? Socket.connect(endpoint, timeoutMs: 2000) else { return nil }
        fd = c
        Socket.setTimeouts(fd, receiveMs: timeoutMs, sendMs: timeoutMs)
        guard Socket.sendAll(fd, bytes) else { return nil }
        defer { drop() }
        return readResponse()
    }

    public func drop() {
        if fd >= 0 { LibC.close(fd) }
        fd = -1
        buffer = []
    }

    private func readResponse() -> Response? {
        var scanner = HTTPHeadScanner()
        var end: Int?
        while end == nil {
            do { end = try scanner.scan(buffer) } catch { return nil }
            if end != nil { break }
            guard let chunk = Socket.receive(fd, max: 64 << 10) else { return nil }
            buffer += chunk
        }
        guard let headEnd = end else { return nil }
        let head = String(decoding: buffer[0..<headEnd], as: UTF8.self)
        let lines = head.split(separator: "\r\n")
        guard let statusLine = lines.first else { return nil }
        let parts = statusLine.split(separator: " ")
        guard parts.count >= 2, let status = Int(parts[1]) else { return nil }
        var length = 0
        var close = false
        for line in lines.dropFirst() {
            let lower = line.lowercased()
            if lower.hasPrefix("content-length:") { length = Int(String(lower.dropFirst(15)).trimmingWhitespace()) ?? 0 }
            if lower.hasPrefix("connection:") && lower.contains("close") { close = true }
        }
        let bodyStart = headEnd + 4
        while buffer.count - bodyStart < length {
            guard let chunk = Socket.receive(fd, max: 64 << 10) else { return nil }
            buffer += chunk
        }
        let body = Array(buffer[bodyStart..<(bodyStart + length)])
        buffer.removeSubrange(0..<(bodyStart + length))
        if close { drop() }
        return Response(status: status, body: body)
    }
}
