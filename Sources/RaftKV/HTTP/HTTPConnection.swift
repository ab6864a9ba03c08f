/// One client connection as the HTTP event loop holds it: bytes received and not yet parsed,
/// response bytes not yet sent, and the deadlines that bound both. No sockets here (the loop
/// reads and writes; this decides), so that partial reads, partial writes, pipelining and the
/// deadlines can be tested byte by byte.
///
/// One request at a time: while a request is with the handler, nothing more is read (and the
/// bytes already read wait), so pipelined requests are answered in order and a client that
/// sends faster than it is answered is held back by TCP rather than by our memory. Reading
/// stops too while a response is only partly sent, for the same reason.
///
/// A class, owned by the loop's thread alone: the loop mutates it in place, where a struct in a
/// dictionary would copy its buffers on every change.
final class HTTPConnection {
    /// Distinguishes this connection from a later one given the same descriptor number, so that
    /// an answer for a closed connection is dropped rather than sent to its successor.
    let id: UInt64
    let fd: Int32
    private let limits: HTTPServer.Limits

    /// Received bytes not yet taken as a request (the start of the next one, when pipelined).
    private(set) var input: [UInt8] = []
    private var scanner = HTTPHeadScanner()
    /// Response bytes queued and `sent` of them already written.
    private(set) var output: [UInt8] = []
    private var sent = 0
    /// A request is with the handler; its answer has not been queued yet.
    private(set) var handling = false
    /// Whether to keep the connection open after the answer to the request being handled.
    private var keepAlive = true
    /// Close once `output` is sent (an error answer, or the client asked to).
    private(set) var closing = false

    /// When the request being received must be whole (set at its first byte).
    private var requestDeadline: ContinuousClock.Instant
    /// When a connection with nothing to do is closed.
    private var idleDeadline: ContinuousClock.Instant
    /// When a response that the client does not read is given up (and the connection closed).
    private var sendDeadline: ContinuousClock.Instant

    init(id: UInt64, fd: Int32, limits: HTTPServer.Limits, now: ContinuousClock.Instant) {
        self.id = id
        self.fd = fd
        self.limits = limits
        idleDeadline = now + .milliseconds(limits.idleMs)
        requestDeadline = idleDeadline
        sendDeadline = idleDeadline
    }

    /// Whether the loop should read: not while a request is handled or an answer is unsent.
    var wantsRead: Bool { !handling && !closing && output.isEmpty }
    var wantsWrite: Bool { sent < output.count }
    /// Waiting for a request (idle, or reading one), as `HTTPConnections` counts for eviction.
    var isWaiting: Bool { !handling && output.isEmpty }

    /// The next instant at which `expire` has something to do, if any.
    var deadline: ContinuousClock.Instant? {
        if wantsWrite { return sendDeadline }
        if handling || closing { return nil }
        return input.isEmpty ? idleDeadline : requestDeadline
    }

    /// Takes bytes the client sent.
    func received(_ bytes: UnsafeRawBufferPointer, now: ContinuousClock.Instant) {
        if input.isEmpty && !handling { requestDeadline = now + .milliseconds(limits.requestMs) }
        input.append(contentsOf: bytes)
    }

    enum Next: Equatable {
        /// Nothing to do until more bytes come (or the handler answers).
        case none
        /// A whole request, now with the handler: answer it with `respond`.
        case request(HTTPRequestHead, body: [UInt8])
        /// A malformed request: its error answer is queued and the connection will close.
        case failed(HTTPError)
    }

    /// The next request in `input`, if a whole one is there and none is being handled. A head
    /// that cannot be a request is refused at the first byte that makes it so.
    func next(now: ContinuousClock.Instant) -> Next {
        guard !handling, !closing else { return .none }
        do throws(HTTPError) {
            guard let end = try scanner.scan(input) else { return .none }
            let head = try HTTPRequestHead.parse(input[0..<end])
            let length = try head.bodyLength()
            let bodyStart = end + 4
            guard input.count - bodyStart >= length else { return .none }
            let body = Array(input[bodyStart..<(bodyStart + length)])
            input.removeSubrange(0..<(bodyStart + length))
            scanner = HTTPHeadScanner()
            handling = true
            keepAlive = head.keepAlive
            return .request(head, body: body)
        } catch {
            fail(error, now: now)
            return .failed(error)
        }
    }

    /// Queues the answer to the request being handled; the next request's time starts now if
    /// its bytes are already here (pipelined), else the idle time does.
    func respond(_ response: HTTPResponse, now: ContinuousClock.Instant) {
        guard handling else { return }
        handling = false
        queue(response.serialized(keepAlive: keepAlive), now: now)
        if !keepAlive { closing = true }
        requestDeadline = now + .milliseconds(limits.requestMs)
        idleDeadline = now + .milliseconds(limits.idleMs)
    }

    /// The client ended its stream: close at once when between requests, else answer 400 (the
    /// request it was sending will never be whole). While a request is handled the loop does
    /// not read, so this is not seen until its answer is sent.
    /// - Returns: true when the connection should close now.
    func endOfStream(now: ContinuousClock.Instant) -> Bool {
        if closing || handling { return !wantsWrite && !handling }
        if input.isEmpty { return !wantsWrite }
        fail(HTTPError(400, "connection closed inside a request"), now: now)
        return false
    }

    enum Expiry: Equatable {
        case nothing
        /// Queued a 408 (or 400 when the head came but the body did not); close once sent.
        case answered
        /// Close now, without an answer (idle, or the client does not read its answer).
        case close
    }

    /// What the passing of `now` means for this connection.
    func expire(now: ContinuousClock.Instant) -> Expiry {
        guard let deadline, now >= deadline else { return .nothing }
        if wantsWrite || input.isEmpty { return .close }
        var probe = scanner
        let headCame = (try? probe.scan(input)) != nil
        fail(headCame ? HTTPError(400, "body shorter than its Content-Length, or later than \(limits.requestMs) ms")
                      : HTTPError(408, "request not complete within \(limits.requestMs) ms"), now: now)
        return .answered
    }

    /// Writes queued output through `send` (which returns the bytes written, 0 or less when it
    /// cannot now: the loop's `send` on a non-blocking socket, or a test's).
    /// - Returns: false when `send` failed for good (the connection is to be closed).
    func flush(_ send: (UnsafeRawPointer, Int) -> SendResult) -> Bool {
        while sent < output.count {
            let result = output.withUnsafeBytes { buf -> SendResult in
                guard let base = buf.baseAddress else { return .failed }
                return send(base + sent, buf.count - sent)
            }
            switch result {
            case .wrote(let n): sent += n
            case .wouldBlock: return true
            case .failed: return false
            }
        }
        output.removeAll(keepingCapacity: true)
        sent = 0
        return true
    }

    enum SendResult: Equatable {
        case wrote(Int)
        case wouldBlock
        case failed
    }

    /// Whether the connection is done: its last answer is sent and it was to close after it.
    var finished: Bool { closing && !wantsWrite }

    private func fail(_ error: HTTPError, now: ContinuousClock.Instant) {
        input.removeAll()
        queue(HTTPResponse(error.status, line: error.reason).serialized(keepAlive: false), now: now)
        closing = true
    }

    private func queue(_ bytes: [UInt8], now: ContinuousClock.Instant) {
        if !wantsWrite { sendDeadline = now + .milliseconds(limits.sendMs) }
        output += bytes
    }
}
