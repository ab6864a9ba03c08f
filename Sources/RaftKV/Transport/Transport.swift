import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Raft

/// Raft messages between raftkv nodes over TCP: a listener that accepts peers' connections and
/// reads their frames, and one `PeerSender` per peer for our own messages.
///
/// Each direction has its own connection (we dial every peer, every peer dials us), as etcd's
/// rafthttp has a stream per direction, which keeps both halves simple: readers only read,
/// senders only write.
///
/// A connection first says who it is (`PeerHello`: cluster, sender, receiver) within a short
/// deadline, or it is closed; only members' connections leave the small waiting pool
/// (`InboundConnections`), so strangers cannot take the slots peers need.
///
/// Every frame is decoded with `MessageCodec`, which checks every field. A frame that does not
/// decode, is addressed to another node, comes from another sender than the hello named, or
/// carries a local-only message type is dropped with a log line (rate-limited: a peer can send
/// junk at will); an impossible frame length closes that one connection. Nothing a peer sends
/// can stop the node.
public final class Transport: Sendable {
    public let localID: UInt64
    /// Checked in every connection's hello, and sent in ours (`NodeOptions.clusterID`).
    public let clusterID: UInt64
    private let listenFD: Int32
    private let reports: TransportReports
    private let logger: any Logger
    /// For what peers and strangers can cause at will: dropped frames, refused connections.
    private let warnings: RateLimitedLog
    /// Called on reader threads for every well-formed message addressed to us, in arrival order
    /// per connection.
    private let deliver: @Sendable (Message) -> Void
    /// Extra checks on a decoded message (the node refuses snapshots it could not load).
    private let validate: @Sendable (Message) -> String?
    /// Whether a member was removed from the cluster: its messages are answered with
    /// `removedNotice`, so that it stops instead of campaigning forever (it never learns of its
    /// own removal through raft, since the leader stops replicating to it).
    private let isRemoved: @Sendable (UInt64) -> Bool

    /// The payload we answer a removed member with, on its own connection: not a message (no
    /// message starts with 0xFF, an invalid version).
    public static let removedNotice: [UInt8] = [0xFF] + Array("removed".utf8)

    private struct State {
        var peers: [UInt64: PeerSender] = [:]
        var inbound = InboundConnections()
        var stopped = false
    }
    private let state = Locked(State())

    /// Listens on `listen`, ready for `addPeer` and `send`.
    public init(localID: UInt64, clusterID: UInt64, listen: Endpoint, reports: TransportReports, logger: any Logger,
                validate: @escaping @Sendable (Message) -> String? = { _ in nil },
                isRemoved: @escaping @Sendable (UInt64) -> Bool = { _ in false },
                deliver: @escaping @Sendable (Message) -> Void) throws {
        self.isRemoved = isRemoved
        self.localID = localID
        self.clusterID = clusterID
        self.warnings = RateLimitedLog(logger: logger)
        self.reports = reports
        self.logger = logger
        self.deliver = deliver
        self.validate = validate
        listenFD = try Socket.listen(listen)
    }

    /// The port the listener got (useful when it was asked for port 0).
    public var port: UInt16 { Socket.localPort(listenFD) }

    public func start() {
        AcceptLoop.start(listener: listenFD, name: "raftkv-peer-reader", admit: { [self] fd in
            let (admitted, evict) = state.withLock { s -> (Bool, Int32?) in
                s.stopped ? (false, nil) : (true, s.inbound.admit(fd))
            }
            if let evict { Socket.shutdownBoth(evict) } // its reader wakes and closes it
            if !admitted { LibC.close(fd) }
            return admitted
        }, serve: { [self] fd in read(fd) })
    }

    /// Starts sending to peer `id` at `endpoint`; replaces an earlier, different address.
    public func addPeer(_ id: UInt64, _ endpoint: Endpoint) {
        guard id != localID else { return }
        let hello = PeerHello(clusterID: clusterID, from: localID, to: id)
        let sender = PeerSender(id: id, endpoint: endpoint, hello: hello, reports: reports, logger: logger)
        let (added, old) = state.withLock { s -> (Bool, PeerSender?) in
            if s.stopped || s.peers[id]?.endpoint == endpoint { return (false, nil) }
            defer { s.peers[id] = sender }
            return (true, s.peers[id])
        }
        old?.stop()
        if added { sender.start() }
    }

    public func removePeer(_ id: UInt64) {
        state.withLock { $0.peers.removeValue(forKey: id) }?.stop()
    }

    public var peerIDs: [UInt64] { state.withLock { Array($0.peers.keys).sorted() } }

    /// Hands each peer its messages, in their order, as one batch (`PeerSender.send`); a message
    /// to an unknown peer is reported unreachable (and a snapshot in it failed).
    public func send(_ messages: [Message]) {
        if messages.isEmpty { return }
        // One look-up under the lock for all of them. Few peers: a list beats a dictionary.
        let senders = state.withLock { s in messages.map { s.peers[$0.to] } }
        var batches: [(sender: PeerSender, messages: [Message])] = []
        for (m, sender) in zip(messages, senders) {
            guard let sender else {
                reports.unreachable(m.to)
                if m.type == .msgSnap { reports.snapshot(m.to, .failure) }
                continue
            }
            if let i = batches.firstIndex(where: { $0.sender === sender }) {
                batches[i].messages.append(m)
            } else {
                batches.append((sender, [m]))
            }
        }
        for batch in batches { batch.sender.send(batch.messages) }
    }

    /// Stops listening, closes every connection and stops every sender.
    public func stop() {
        let (peers, inbound) = state.withLock { s -> ([PeerSender], [Int32]) in
            s.stopped = true
            defer { s.peers = [:] }
            return (Array(s.peers.values), s.inbound.all)
        }
        Socket.shutdownBoth(listenFD)
        for fd in inbound { Socket.shutdownBoth(fd) }
        for p in peers { p.stop() }
    }

    /// Reads frames from one inbound connection until it closes: first the hello, then
    /// messages from the member it named.
    private func read(_ fd: Int32) {
        defer {
            state.withLock { $0.inbound.remove(fd) }
            LibC.close(fd)
        }
        var frames = FrameReader(fd: fd)
        defer { frames.release() }
        guard let peer = identify(&frames) else { return }
        // A live peer sends heartbeats every tick; a silent connection for this long is dead.
        Socket.setTimeouts(fd, receiveMs: 30_000, sendMs: nil)
        while true {
            switch frames.next() {
            case .closed:
                return
            case .oversized(let n):
                warnings.warning("oversized", "transport: closing member \(peer)'s connection: frame length \(n) exceeds \(Frame.maxPayload)")
                return
            case .frame(let payload):
                if let from = accept(payload, from: peer), isRemoved(from) {
                    logger.info("transport: telling removed member \(from) that it was removed")
                    _ = Socket.sendAll(fd, Frame.encode(Self.removedNotice))
                    return
                }
            }
        }
    }

    /// Reads the connection's hello within its deadline; the member it names, or nil when the
    /// connection must be closed (no hello in time, another cluster, another node, a stranger,
    /// or closed meanwhile to make room).
    private func identify(_ frames: inout FrameReader) -> UInt64? {
        let fd = frames.fd
        let reason: String
        switch frames.next(maxPayload: PeerHello.encodedSize, deadline: .now + PeerHello.deadline) {
        case .closed:
            reason = "no hello within \(PeerHello.deadline)"
        case .oversized(let n):
            reason = "a first frame of \(n) bytes is no hello"
        case .frame(let payload):
            do {
                let hello = try PeerHello(decoding: payload)
                if let problem = check(hello) {
                    reason = problem
                } else {
                    let (admitted, evict) = state.withLock { $0.inbound.identify(fd, as: hello.from) }
                    if let evict { Socket.shutdownBoth(evict) }
                    return admitted ? hello.from : nil
                }
            } catch {
                reason = "\(error)"
            }
        }
        warnings.warning("stranger", "transport: closed a connection that did not identify as a member: \(reason)")
        return nil
    }

    private func check(_ hello: PeerHello) -> String? {
        if hello.clusterID != clusterID { return "cluster \(String(hello.clusterID, radix: 16)), not this one (\(String(clusterID, radix: 16)))" }
        if hello.to != localID { return "addressed to member \(hello.to), not to this node (\(localID))" }
        let known = state.withLock { $0.peers[hello.from] != nil }
        if hello.from == localID || !(known || isRemoved(hello.from)) { return "\(hello.from) is not a member" }
        return nil
    }

    /// Decodes and checks one frame that arrived on member `peer`'s connection, and hands the
    /// message on or drops it with a reason. Returns the sender of a well-formed message.
    @discardableResult
    func accept(_ payload: [UInt8], from peer: UInt64) -> UInt64? {
        let m: Message
        do {
            m = try MessageCodec.decode(payload)
        } catch {
            warnings.warning("malformed", "transport: dropped a malformed frame of \(payload.count) bytes from member \(peer): \(error)")
            return nil
        }
        if let problem = check(m) ?? (m.from == peer ? nil : "sent as \(m.from) on member \(peer)'s connection") ?? validate(m) {
            warnings.warning("refused", "transport: dropped \(m.type) from \(m.from): \(problem)")
            return nil
        }
        if isRemoved(m.from) { return m.from }
        deliver(m)
        return m.from
    }

    private func check(_ m: Message) -> String? {
        if m.to != localID { return "addressed to \(m.to), not to this node (\(localID))" }
        if m.from == PeerID.none || m.from == localID || PeerID.isLocalTarget(m.from) {
            return "impossible sender \(m.from)"
        }
        if m.type.isLocal { return "local-only message type" }
        if m.snapshot != nil && m.type != .msgSnap { return "a snapshot on a message that carries none" }
        if m.type == .msgSnap && m.snapshot == nil { return "a snapshot message without a snapshot" }
        return nil
    }
}
