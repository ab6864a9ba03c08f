import Foundation
import Glibc
import Raft

/// Raft messages between raftkv nodes over TCP: a listener that accepts peers' connections and
/// reads their frames, and one `PeerSender` per peer for our own messages.
///
/// Each direction has its own connection (we dial every peer, every peer dials us), as etcd's
/// rafthttp has a stream per direction, which keeps both halves simple: readers only read,
/// senders only write.
///
/// Every frame is decoded with `MessageCodec`, which checks every field. A frame that does not
/// decode, is addressed to another node, or carries a local-only message type is dropped with a
/// log line; an impossible frame length closes that one connection. Nothing a peer sends can
/// stop the node.
public final class Transport: Sendable {
    public let localID: UInt64
    private let listenFD: Int32
    private let reports: TransportReports
    private let logger: any Logger
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
        var inbound: Set<Int32> = []
        var stopped = false
    }
    private let state = Locked(State())

    /// Listens on `listen`, ready for `addPeer` and `send`.
    public init(localID: UInt64, listen: Endpoint, reports: TransportReports, logger: any Logger,
                validate: @escaping @Sendable (Message) -> String? = { _ in nil },
                isRemoved: @escaping @Sendable (UInt64) -> Bool = { _ in false },
                deliver: @escaping @Sendable (Message) -> Void) throws {
        self.isRemoved = isRemoved
        self.localID = localID
        self.reports = reports
        self.logger = logger
        self.deliver = deliver
        self.validate = validate
        listenFD = try Socket.listen(listen)
    }

    /// The port the listener got (useful when it was asked for port 0).
    public var port: UInt16 { Socket.localPort(listenFD) }

    public func start() {
        let listener = listenFD
        let thread = Thread { [self] in
            while let fd = Socket.accept(listener) {
                let admitted = state.withLock { s -> Bool in
                    guard !s.stopped, s.inbound.count < 64 else { return false }
                    s.inbound.insert(fd)
                    return true
                }
                if !admitted {
                    close(fd)
                    continue
                }
                let reader = Thread { [self] in read(fd) }
                reader.name = "raftkv-peer-reader"
                reader.start()
            }
            close(listener)
        }
        thread.name = "raftkv-transport-accept"
        thread.start()
    }

    /// Starts sending to peer `id` at `endpoint`; replaces an earlier, different address.
    public func addPeer(_ id: UInt64, _ endpoint: Endpoint) {
        guard id != localID else { return }
        let sender = PeerSender(id: id, endpoint: endpoint, reports: reports, logger: logger)
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

    /// Queues each message for its peer; a message to an unknown peer is reported unreachable.
    public func send(_ messages: [Message]) {
        for m in messages {
            if let sender = state.withLock({ $0.peers[m.to] }) {
                sender.send(m)
            } else {
                reports.unreachable(m.to)
                if m.type == .msgSnap { reports.snapshot(m.to, .failure) }
            }
        }
    }

    /// Stops listening, closes every connection and stops every sender.
    public func stop() {
        let (peers, inbound) = state.withLock { s -> ([PeerSender], Set<Int32>) in
            s.stopped = true
            defer { s.peers = [:] }
            return (Array(s.peers.values), s.inbound)
        }
        Socket.shutdownBoth(listenFD)
        for fd in inbound { Socket.shutdownBoth(fd) }
        for p in peers { p.stop() }
    }

    /// Reads frames from one inbound connection until it closes.
    private func read(_ fd: Int32) {
        defer {
            state.withLock { _ = $0.inbound.remove(fd) }
            close(fd)
        }
        // A live peer sends heartbeats every tick; a silent connection for this long is dead.
        Socket.setTimeouts(fd, receiveMs: 30_000, sendMs: nil)
        while true {
            switch Frame.read(from: fd) {
            case .closed:
                return
            case .oversized(let n):
                logger.warning("transport: closing a peer connection: frame length \(n) exceeds \(Frame.maxPayload)")
                return
            case .frame(let payload):
                if let from = accept(payload), isRemoved(from) {
                    logger.info("transport: telling removed member \(from) that it was removed")
                    _ = Socket.sendAll(fd, Frame.encode(Self.removedNotice))
                    return
                }
            }
        }
    }

    /// Decodes and checks one frame, and hands the message on or drops it with a reason.
    /// Returns the sender of a well-formed message.
    @discardableResult
    func accept(_ payload: [UInt8]) -> UInt64? {
        let m: Message
        do {
            m = try MessageCodec.decode(payload)
        } catch {
            logger.warning("transport: dropped a malformed frame of \(payload.count) bytes: \(error)")
            return nil
        }
        if let problem = check(m) ?? validate(m) {
            logger.warning("transport: dropped \(m.type) from \(m.from): \(problem)")
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
