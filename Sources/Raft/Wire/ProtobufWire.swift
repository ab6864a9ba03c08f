/// The few pieces of protobuf's wire format that raft itself needs: entry sizes (limits are counted
/// in encoded bytes, as in etcd) and the encoding of conf changes carried in entry payloads, which
/// stays byte-compatible with etcd's so that logs can be read by either.
@usableFromInline
enum ProtobufWire {
    /// The number of bytes of `value` as a base-128 varint.
    @inlinable @inline(__always)
    static func varintSize(_ value: UInt64) -> Int {
        // 1 byte per started group of 7 bits; zero still takes one byte.
        (64 - (value | 1).leadingZeroBitCount + 6) / 7
    }

    static func appendVarint(_ value: UInt64, to bytes: inout [UInt8]) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    static func appendVarintField(_ field: UInt64, _ value: UInt64, to bytes: inout [UInt8]) {
        appendVarint(field << 3, to: &bytes)
        appendVarint(value, to: &bytes)
    }

    static func appendBytesField(_ field: UInt64, _ value: [UInt8], to bytes: inout [UInt8]) {
        appendVarint(field << 3 | 2, to: &bytes)
        appendVarint(UInt64(value.count), to: &bytes)
        bytes.append(contentsOf: value)
    }

    /// Reads fields one at a time; every read is bounds-checked.
    struct Reader {
        let bytes: [UInt8]
        var position = 0

        init(_ bytes: [UInt8]) { self.bytes = bytes }

        var isAtEnd: Bool { position >= bytes.count }

        mutating func varint() throws(ProtobufDecodingError) -> UInt64 {
            var result: UInt64 = 0
            var shift: UInt64 = 0
            while true {
                guard position < bytes.count else { throw .truncated }
                guard shift < 64 else { throw .varintOverflow }
                let byte = bytes[position]
                position += 1
                result |= UInt64(byte & 0x7f) << shift
                if byte < 0x80 { return result }
                shift += 7
            }
        }

        /// The next field's number and wire type.
        mutating func key() throws(ProtobufDecodingError) -> (field: UInt64, wireType: UInt8) {
            let key = try varint()
            let field = key >> 3
            guard field > 0 else { throw .invalidField }
            return (field, UInt8(key & 7))
        }

        mutating func lengthDelimited() throws(ProtobufDecodingError) -> ArraySlice<UInt8> {
            let length = try varint()
            guard length <= UInt64(bytes.count - position) else { throw .truncated }
            let end = position + Int(length)
            defer { position = end }
            return bytes[position..<end]
        }

        /// Skips a field this decoder does not know, as protobuf requires.
        mutating func skip(wireType: UInt8) throws(ProtobufDecodingError) {
            switch wireType {
            case 0: _ = try varint()
            case 1: try advance(8)
            case 2: _ = try lengthDelimited()
            case 5: try advance(4)
            default: throw .invalidWireType(wireType)
            }
        }

        private mutating func advance(_ n: Int) throws(ProtobufDecodingError) {
            guard n <= bytes.count - position else { throw .truncated }
            position += n
        }
    }
}

/// Bytes that are not a valid protobuf encoding of the expected message.
public enum ProtobufDecodingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The bytes ended in the middle of a field.
    case truncated
    /// A varint ran past 64 bits.
    case varintOverflow
    /// A field number 0, which protobuf does not allow.
    case invalidField
    /// A field with a wire type this message cannot hold.
    case invalidWireType(UInt8)
    /// An enum field (named first) with a value outside its cases.
    case invalidEnumValue(String, UInt64)

    public var description: String {
        switch self {
        case .truncated: "proto: unexpected end of data"
        case .varintOverflow: "proto: integer overflow"
        case .invalidField: "proto: illegal field number 0"
        case .invalidWireType(let t): "proto: illegal wire type \(t)"
        case .invalidEnumValue(let name, let v): "proto: invalid \(name) value \(v)"
        }
    }
}

extension ConfChangeType {
    init(wireValue: UInt64) throws(ProtobufDecodingError) {
        guard wireValue <= UInt64(UInt8.max), let t = ConfChangeType(rawValue: UInt8(wireValue)) else {
            throw .invalidEnumValue("ConfChangeType", wireValue)
        }
        self = t
    }
}

extension ConfChange {
    /// The protobuf encoding etcd stores in an `entryConfChange` entry: the id only when it was
    /// set, the context only when it is not empty.
    public func marshal() -> [UInt8] {
        var out: [UInt8] = []
        if let id = idIfSet { ProtobufWire.appendVarintField(1, id, to: &out) }
        ProtobufWire.appendVarintField(2, UInt64(type.rawValue), to: &out)
        ProtobufWire.appendVarintField(3, nodeID, to: &out)
        if !context.isEmpty { ProtobufWire.appendBytesField(4, context, to: &out) }
        return out
    }

    /// Decodes the payload of an `entryConfChange` entry.
    public init(unmarshaling bytes: [UInt8]) throws(ProtobufDecodingError) {
        self.init()
        var r = ProtobufWire.Reader(bytes)
        while !r.isAtEnd {
            let (field, wireType) = try r.key()
            switch (field, wireType) {
            case (1, 0): id = try r.varint()
            case (2, 0): type = try ConfChangeType(wireValue: r.varint())
            case (3, 0): nodeID = try r.varint()
            case (4, 2): context = Array(try r.lengthDelimited())
            default: try r.skip(wireType: wireType)
            }
        }
    }
}

extension ConfChangeSingle {
    func marshal() -> [UInt8] {
        var out: [UInt8] = []
        ProtobufWire.appendVarintField(1, UInt64(type.rawValue), to: &out)
        ProtobufWire.appendVarintField(2, nodeID, to: &out)
        return out
    }

    init(unmarshaling bytes: [UInt8]) throws(ProtobufDecodingError) {
        self.init()
        var r = ProtobufWire.Reader(bytes)
        while !r.isAtEnd {
            let (field, wireType) = try r.key()
            switch (field, wireType) {
            case (1, 0): type = try ConfChangeType(wireValue: r.varint())
            case (2, 0): nodeID = try r.varint()
            default: try r.skip(wireType: wireType)
            }
        }
    }
}

extension ConfChangeV2 {
    /// The protobuf encoding etcd stores in an `entryConfChangeV2` entry: the transition only
    /// when it was set, the context only when it is not empty.
    public func marshal() -> [UInt8] {
        var out: [UInt8] = []
        if let transition = transitionIfSet {
            ProtobufWire.appendVarintField(1, UInt64(transition.rawValue), to: &out)
        }
        for change in changes { ProtobufWire.appendBytesField(2, change.marshal(), to: &out) }
        if !context.isEmpty { ProtobufWire.appendBytesField(3, context, to: &out) }
        return out
    }

    /// Decodes the payload of an `entryConfChangeV2` entry. Empty bytes decode to the empty
    /// change, which leaves a joint configuration.
    public init(unmarshaling bytes: [UInt8]) throws(ProtobufDecodingError) {
        self.init()
        var r = ProtobufWire.Reader(bytes)
        while !r.isAtEnd {
            let (field, wireType) = try r.key()
            switch (field, wireType) {
            case (1, 0):
                let v = try r.varint()
                guard v <= UInt64(UInt8.max), let t = ConfChangeTransition(rawValue: UInt8(v)) else {
                    throw .invalidEnumValue("ConfChangeTransition", v)
                }
                transition = t
            case (2, 2): changes.append(try ConfChangeSingle(unmarshaling: Array(r.lengthDelimited())))
            case (3, 2): context = Array(try r.lengthDelimited())
            default: try r.skip(wireType: wireType)
            }
        }
    }
}

/// Encodes a conf change into the entry type and payload raft proposes for it.
///
/// etcd: `raftpb.MarshalConfChange`.
package func marshalConfChange(_ cc: any ConfChangeI) -> (EntryType, [UInt8]) {
    if let v1 = cc.asV1() { return (.entryConfChange, v1.marshal()) }
    return (.entryConfChangeV2, cc.asV2().marshal())
}
