/// A write to the key-value store, as it travels through the raft log in an entry's data.
///
/// Each carries the id of the request that proposed it, so that the node which is waiting for it
/// recognizes its own proposal when the entry is applied (on every node, in log order).
public struct KVCommand: Sendable, Hashable {
    public enum Operation: Sendable, Hashable {
        case put(key: String, value: [UInt8])
        case delete(key: String)
    }

    public var requestID: RequestID
    public var operation: Operation

    public init(requestID: RequestID, operation: Operation) {
        self.requestID = requestID
        self.operation = operation
    }

    static let version: UInt8 = 1

    public func encoded() -> [UInt8] {
        var w = ByteWriter(capacity: 32)
        w.u8(Self.version)
        w.u64(requestID.node)
        w.u64(requestID.sequence)
        switch operation {
        case .put(let key, let value):
            w.u8(1)
            w.blob(Array(key.utf8))
            w.blob(value)
        case .delete(let key):
            w.u8(2)
            w.blob(Array(key.utf8))
        }
        return w.bytes
    }

    public init(decoding bytes: [UInt8]) throws(WireDecodingError) {
        var r = ByteReader(bytes)
        let v = try r.u8("command version")
        guard v == Self.version else { throw WireDecodingError("command version \(v) is not \(Self.version)") }
        requestID = RequestID(node: try r.u64("request node"), sequence: try r.u64("request sequence"))
        let kind = try r.u8("operation")
        let key = String(decoding: try r.blob("key"), as: UTF8.self)
        switch kind {
        case 1: operation = .put(key: key, value: try r.blob("value"))
        case 2: operation = .delete(key: key)
        default: throw WireDecodingError("operation: unknown value \(kind)")
        }
        try r.expectEnd("command")
    }
}

/// Identifies one client request across the cluster: the node that proposed it and a number that
/// node never reuses while it runs (it starts from the clock, so a restart does not reuse either).
public struct RequestID: Sendable, Hashable, CustomStringConvertible {
    public var node: UInt64
    public var sequence: UInt64

    public init(node: UInt64, sequence: UInt64) {
        self.node = node
        self.sequence = sequence
    }

    /// As read-index context: 16 bytes.
    public var bytes: [UInt8] {
        var w = ByteWriter(capacity: 16)
        w.u64(node)
        w.u64(sequence)
        return w.bytes
    }

    public var description: String { "\(node).\(sequence)" }
}
