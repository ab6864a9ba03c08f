/// A small HTTP/1.1 server over POSIX sockets: one event-loop thread (`HTTPEventLoop`) serves
/// every connection (keep-alive, pipelining), and the handler answers by callback, from any
/// thread, when it has the answer (a write: once raft applied it).
///
/// An event loop rather than a thread per connection because the threads cost about a quarter
/// of raftkv's CPU under load, and each write's answer woke its thread (a futex per request);
/// now the Ready loop's answers for a batch of writes reach the loop with one wake-up
/// (Notes/design-decisions.md, "raftkv serves HTTP from one event loop"). Every size is bounded
/// (head, body, connections) and so is every wait: a request must arrive whole within
/// `Limits.requestMs` of its first byte, however slowly it trickles, a malformed head is
/// answered 400 at the first byte that makes it so, and at the connection cap the connection
/// waiting longest gives way to the newcomer (`HTTPConnections`). So a slow or hostile client
/// costs a buffer for a while, never the service.
public final class HTTPServer: Sendable {
    /// The server's bounds on connections and time.
    public struct Limits: Sendable {
        public var maxConnections = 512
        /// How long a kept-alive connection may wait for its next request to start.
        public var idleMs = 30_000
        /// How long a request (head and body) may take to arrive, from its first byte.
        public var requestMs = 10_000
        /// How long an answer may wait for a client that does not read it.
        public var sendMs = 10_000
        public init() {}
    }

    private let listenFD: Int32
    private let loop: HTTPEventLoop

    /// A server whose handler answers through its callback, on any thread, exactly once. The
    /// handler is called on the event loop's thread, so it must not block; `endOfBatch` is
    /// called on the same thread after each pass of the loop that handed it requests (raftkv
    /// proposes the writes it queued then, as one batch). It takes no logger: the loop has
    /// nothing to log that the client is not told.
    public init(listen: Endpoint, limits: Limits = Limits(), endOfBatch: @escaping @Sendable () -> Void = {},
                handler: @escaping @Sendable (HTTPRequest, @escaping @Sendable (HTTPResponse) -> Void) -> Void) throws {
        listenFD = try Socket.listen(listen, backlog: 512)
        do {
            loop = try HTTPEventLoop(listenFD: listenFD, limits: limits, endOfBatch: endOfBatch, handler: handler)
        } catch {
            LibC.close(listenFD)
            throw error
        }
    }

    public var port: UInt16 { Socket.localPort(listenFD) }

    public func start() {
        loop.start(name: "raftkv-http")
    }

    /// Stops accepting and closes every connection (the loop does, as it ends).
    public func stop() {
        loop.stop()
    }
}
