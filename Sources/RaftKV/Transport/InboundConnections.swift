/// The peer listener's connections, in two pools: those that have not yet said who they are
/// (bounded; when full, the oldest is closed to make room) and those that identified as a
/// member (at most `perPeer` each; a member's newer connection closes its oldest, as a peer that
/// restarted dials again while its old connection may linger half-open).
///
/// So whoever holds connections open without a hello only ever competes with other strangers
/// for a waiting slot, which the hello's deadline frees soon anyway, and a member's connection
/// always finds room.
struct InboundConnections {
    static let maxUnidentified = 16
    static let perPeer = 2

    /// Oldest first.
    private var unidentified: [Int32] = []
    /// Oldest first, per member.
    private var identified: [UInt64: [Int32]] = [:]

    /// Every connection, for closing them all.
    var all: [Int32] { unidentified + identified.values.flatMap { $0 } }

    /// Takes a new connection into the waiting pool; returns the connection to close to make
    /// room for it, if the pool was full.
    mutating func admit(_ fd: Int32) -> Int32? {
        unidentified.append(fd)
        return unidentified.count > Self.maxUnidentified ? unidentified.removeFirst() : nil
    }

    /// Moves a connection that said it is `peer` out of the waiting pool. Returns false when it
    /// was closed meanwhile to make room; else the connection to close (the member's oldest)
    /// if the member has too many.
    mutating func identify(_ fd: Int32, as peer: UInt64) -> (admitted: Bool, evict: Int32?) {
        guard let k = unidentified.firstIndex(of: fd) else { return (false, nil) }
        unidentified.remove(at: k)
        identified[peer, default: []].append(fd)
        guard let fds = identified[peer], fds.count > Self.perPeer else { return (true, nil) }
        return (true, identified[peer]?.removeFirst())
    }

    /// Forgets a connection (closed, or closed to make room: forgetting twice is harmless).
    mutating func remove(_ fd: Int32) {
        unidentified.removeAll { $0 == fd }
        for (peer, fds) in identified where fds.contains(fd) {
            let rest = fds.filter { $0 != fd }
            identified[peer] = rest.isEmpty ? nil : rest
        }
    }
}
