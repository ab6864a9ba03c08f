/// The first frame on every peer connection: who dials whom, in which cluster. The listener
/// reads it within `PeerHello.deadline` and closes the connection unless it names this cluster
/// and this node, and a sender the node talks to: so a stranger holding connections open costs a
/// waiting slot for a moment, never the slots that members need.
///
/// Payload: `0xFE | version (u8) | cluster id (u64) | from (u64) | to (u64)`. No message starts
/// with 0xFE (an invalid message version), so a hello is never mistaken for a message.
///
/// etcd rafthttp checks the same on each stream request: `X-Etcd-Cluster-ID`, `X-Server-From`
/// and the target member in the path (`checkClusterCompatibilityFromHeader`).
struct PeerHello: Sendable, Equatable {
    var clusterID: UInt64
    var from: UInt64
    var to: UInt64

    static let marker: UInt8 = 0xFE
    static let version: UInt8 = 1
    static let encodedSize = 2 + 3 * 8
    /// How long a new connection may take to say who it is.
    static let deadline: Duration = .seconds(2)

    func encoded() -> [UInt8] {
        var w = ByteWriter(capacity: Self.encodedSize)
        w.u8(Self.marker)
        w.u8(Self.version)
        w.u64(clusterID)
        w.u64(from)
        w.u64(to)
        return w.bytes
    }

    init(clusterID: UInt64, from: UInt64, to: UInt64) {
        self.clusterID = clusterID
        self.from = from
        self.to = to
    }

    init(decoding payload: [UInt8]) throws(WireDecodingError) {
        guard payload.count == Self.encodedSize else {
            throw WireDecodingError("hello: \(payload.count) bytes, expected \(Self.encodedSize)")
        }
        var r = ByteReader(payload)
        guard try r.u8("hello marker") == Self.marker else { throw WireDecodingError("hello: not a hello frame") }
        let v = try r.u8("hello version")
        guard v == Self.version else { throw WireDecodingError("hello: version \(v) is not \(Self.version)") }
        clusterID = try r.u64("cluster id")
        from = try r.u64("from")
        to = try r.u64("to")
    }
}
