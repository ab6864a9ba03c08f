#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A host and port, as parsed from `http://host:port` peer URLs and `--listen` options.
public struct Endpoint: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: UInt16

    public init(host: String, port: UInt16) {
        self.host = host
        self.port = port
    }

    /// Parses `http://host:port` (a path, if any, is ignored); nil for anything else.
    public init?(url: String) {
        var rest = Substring(url.trimmingWhitespace())
        guard rest.hasPrefix("http://") else { return nil }
        rest = rest.dropFirst("http://".count)
        if let slash = rest.firstIndex(of: "/") { rest = rest[..<slash] }
        guard let colon = rest.lastIndex(of: ":") else { return nil }
        let host = rest[..<colon]
        guard !host.isEmpty, let port = UInt16(rest[rest.index(after: colon)...]), port != 0 else { return nil }
        self.host = String(host)
        self.port = port
    }

    public var url: String { "http://\(host):\(port)" }
    public var description: String { "\(host):\(port)" }
}

extension String {
    func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        return String(scalars[first...last])
    }
}

/// Blocking TCP sockets over POSIX calls: just what the transport and the HTTP server need, each
/// call retrying on EINTR and failing with a `SystemError` that names the endpoint.
public enum Socket {
    /// Resolves `endpoint` to an IPv4 address.
    static func address(_ endpoint: Endpoint) throws(SystemError) -> sockaddr_in {
        var hints = addrinfo()
        hints.ai_family = AF_INET
        hints.ai_socktype = LibC.streamSocket
        var result: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(endpoint.host, String(endpoint.port), &hints, &result)
        guard rc == 0, let info = result, let sa = info.pointee.ai_addr else {
            throw SystemError(message: "cannot resolve \(endpoint.host): \(String(cString: gai_strerror(rc)))")
        }
        defer { freeaddrinfo(result) }
        return sa.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee }
    }

    /// A listening socket on `endpoint` (port 0 picks a free one; see `localPort`).
    public static func listen(_ endpoint: Endpoint, backlog: Int32 = 128) throws(SystemError) -> Int32 {
        var addr = try address(endpoint)
        let fd = LibC.streamSocketFD()
        if fd < 0 { throw SystemError("socket") }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        if bound != 0 {
            let e = errno
            close(fd)
            throw SystemError("bind \(endpoint)", errno: e)
        }
        if LibC.listen(fd, backlog) != 0 {
            let e = errno
            close(fd)
            throw SystemError("listen \(endpoint)", errno: e)
        }
        return fd
    }

    /// The port a socket is bound to.
    public static func localPort(_ fd: Int32) -> UInt16 {
        var addr = sockaddr_in()
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        return UInt16(bigEndian: addr.sin_port)
    }

    /// What one `accept` on a listener came to.
    enum Accepted {
        /// A new connection, configured (close-on-exec; no SIGPIPE on Darwin).
        case connection(Int32)
        /// The process is out of descriptors (or memory): wait for some to be closed rather than
        /// spin or exit.
        case outOfDescriptors
        /// Nothing more: none waiting on a non-blocking listener, or the listener was shut down
        /// or failed.
        case none
    }

    /// Accepts one connection, retrying the errors that concern only the connection that went
    /// away (interrupted, aborted before it was taken). The blocking loop below and the HTTP
    /// event loop's non-blocking one both take their connections here.
    static func acceptOne(_ listener: Int32) -> Accepted {
        while true {
            let fd = LibC.accept(listener)
            if fd >= 0 {
                LibC.configure(fd)
                return .connection(fd)
            }
            switch errno {
            case EINTR, ECONNABORTED, EPROTO: continue
            case EMFILE, ENFILE, ENOBUFS, ENOMEM: return .outOfDescriptors
            default: return .none
            }
        }
    }

    /// Accepts a connection, waiting for descriptors when the process is out of them; nil when
    /// the listener was shut down or failed.
    public static func accept(_ listener: Int32) -> Int32? {
        while true {
            switch acceptOne(listener) {
            case .connection(let fd): return fd
            case .outOfDescriptors: usleep(50_000)
            case .none: return nil
            }
        }
    }

    /// Connects to `endpoint`, giving up after `timeoutMs`.
    public static func connect(_ endpoint: Endpoint, timeoutMs: Int32) throws(SystemError) -> Int32 {
        var addr = try address(endpoint)
        let fd = LibC.streamSocketFD()
        if fd < 0 { throw SystemError("socket") }
        let flags = fcntl(fd, F_GETFL, 0)
        _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                LibC.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        if rc != 0 && errno != EINPROGRESS {
            let e = errno
            close(fd)
            throw SystemError("connect \(endpoint)", errno: e)
        }
        if rc != 0 {
            var p = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            let ready = poll(&p, 1, timeoutMs)
            var err: Int32 = 0
            var len = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len)
            if ready <= 0 || err != 0 {
                close(fd)
                throw SystemError("connect \(endpoint)", errno: ready <= 0 ? ETIMEDOUT : err)
            }
        }
        _ = fcntl(fd, F_SETFL, flags)
        noDelay(fd)
        return fd
    }

    /// Sends small frames at once (raft's heartbeats and votes are latency-bound).
    public static func noDelay(_ fd: Int32) {
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
    }

    /// Makes reads and writes on `fd` return EAGAIN instead of blocking (the HTTP event loop).
    static func nonBlocking(_ fd: Int32) {
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL, 0) | O_NONBLOCK)
    }

    /// Bounds how long one read (`receive`) or write (`send`) may block.
    public static func setTimeouts(_ fd: Int32, receiveMs: Int?, sendMs: Int?) {
        func set(_ option: Int32, _ ms: Int) {
            var tv = timeval(tv_sec: ms / 1000, tv_usec: .init((ms % 1000) * 1000))
            setsockopt(fd, SOL_SOCKET, option, &tv, socklen_t(MemoryLayout<timeval>.size))
        }
        if let receiveMs { set(SO_RCVTIMEO, receiveMs) }
        if let sendMs { set(SO_SNDTIMEO, sendMs) }
    }

    /// Writes every byte; false when the peer is gone or the send timed out.
    public static func sendAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        WriteAll.write(bytes) { send(fd, $0, $1, LibC.sendFlags) } == 0
    }

    /// Writes what fits in the socket's buffer now, without waiting (one `send`, retried on
    /// EINTR): the number of bytes written, 0 when the buffer is full (EAGAIN), nil when the
    /// connection failed.
    static func sendNow(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Int? {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return 0 }
        while true {
            let n = send(fd, base, bytes.count, LibC.sendNowFlags)
            if n >= 0 { return n }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK, ENOBUFS: return 0
            default: return nil
            }
        }
    }

    /// Reads up to `max` bytes; nil on end of stream, error or timeout (the socket's receive
    /// timeout, or `deadline` when given: then the read gives up at that instant, however
    /// slowly the bytes trickle in).
    public static func receive(_ fd: Int32, max: Int, deadline: ContinuousClock.Instant? = nil) -> [UInt8]? {
        if let deadline, !waitReadable(fd, until: deadline) { return nil }
        // Uninitialized: zero-filling up to 64 KiB per call only to overwrite it cost more than
        // the call itself under load.
        let chunk = [UInt8](unsafeUninitializedCapacity: max) { buf, count in
            count = receive(fd, into: UnsafeMutableRawBufferPointer(buf))
        }
        return chunk.isEmpty ? nil : chunk
    }

    /// Reads up to `buffer.count` bytes into `buffer` (one `recv`, retried on EINTR); the
    /// number read, 0 on end of stream, error or timeout.
    static func receive(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) -> Int {
        guard buffer.count > 0 else { return 0 }
        while true {
            let n = recv(fd, buffer.baseAddress, buffer.count, 0)
            if n < 0 && errno == EINTR { continue }
            return max(n, 0)
        }
    }

    /// Waits until `fd` has bytes to read (or its stream ended); false once `deadline` passed.
    static func waitReadable(_ fd: Int32, until deadline: ContinuousClock.Instant) -> Bool {
        while true {
            let left = ContinuousClock.now.duration(to: deadline)
            if left <= .zero { return false }
            let ms = Int32(clamping: left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000 + 1)
            var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&p, 1, ms)
            if ready > 0 { return true }
            if ready < 0 && errno != EINTR { return true } // let recv report the error
        }
    }

    /// Reads exactly `count` bytes, growing the buffer only as bytes arrive (a forged length
    /// cannot make it allocate ahead); nil when the stream ends, fails or passes `deadline` first.
    public static func receiveExactly(_ fd: Int32, _ count: Int, deadline: ContinuousClock.Instant? = nil) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(min(count, 1 << 16))
        while out.count < count {
            guard let chunk = receive(fd, max: min(count - out.count, 1 << 16), deadline: deadline) else { return nil }
            out += chunk
        }
        return out
    }

    /// Wakes every thread blocked on `fd` (accept, recv), which then closes it: closing here
    /// could let the number be reused while that thread still reads it.
    public static func shutdownBoth(_ fd: Int32) {
        shutdown(fd, Int32(SHUT_RDWR))
    }
}
