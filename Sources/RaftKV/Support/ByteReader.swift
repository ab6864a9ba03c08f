/// Why bytes could not be decoded: the field, and what was wrong with it.
public struct WireDecodingError: Error, Sendable, Hashable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Reads what `ByteWriter` wrote, checking every length against the bytes that are actually
/// there before using it, so that no input, however hostile, can make it read out of bounds or
/// allocate more than the input's own size.
///
/// Every read names its field for the error message, as an autoclosure: the label (often an
/// interpolation such as `"\(field) length"`) is built only when the read fails, not on every
/// successful decode.
public struct ByteReader {
    private let bytes: [UInt8]
    public private(set) var offset: Int

    public init(_ bytes: [UInt8], offset: Int = 0) {
        self.bytes = bytes
        self.offset = offset
    }

    /// How many bytes are left to read.
    public var remaining: Int { bytes.count - offset }

    private mutating func take(
        _ n: Int, _ field: @autoclosure () -> String
    ) throws(WireDecodingError) -> ArraySlice<UInt8> {
        guard n >= 0, n <= remaining else {
            throw WireDecodingError("\(field()): needs \(n) bytes at offset \(offset), \(remaining) left")
        }
        defer { offset += n }
        return bytes[offset..<offset + n]
    }

    public mutating func u8(_ field: @autoclosure () -> String) throws(WireDecodingError) -> UInt8 {
        try take(1, field()).first ?? 0
    }

    /// A boolean written as exactly 0 or 1; anything else is malformed.
    public mutating func bool(_ field: @autoclosure () -> String) throws(WireDecodingError) -> Bool {
        switch try u8(field()) {
        case 0: return false
        case 1: return true
        case let v: throw WireDecodingError("\(field()): \(v) is not a boolean")
        }
    }

    public mutating func u32(_ field: @autoclosure () -> String) throws(WireDecodingError) -> UInt32 {
        var v: UInt32 = 0
        for (k, b) in try take(4, field()).enumerated() { v |= UInt32(b) << (8 * UInt32(k)) }
        return v
    }

    public mutating func u64(_ field: @autoclosure () -> String) throws(WireDecodingError) -> UInt64 {
        var v: UInt64 = 0
        for (k, b) in try take(8, field()).enumerated() { v |= UInt64(b) << (8 * UInt64(k)) }
        return v
    }

    /// A length-prefixed byte string; the length is checked against what is left first.
    public mutating func blob(_ field: @autoclosure () -> String) throws(WireDecodingError) -> [UInt8] {
        let n = Int(try u32("\(field()) length"))
        return Array(try take(n, field()))
    }

    /// A counted list of u64 ids; the count is checked against what is left first.
    public mutating func ids(_ field: @autoclosure () -> String) throws(WireDecodingError) -> [UInt64] {
        let n = Int(try u32("\(field()) count"))
        guard n <= remaining / 8 else {
            throw WireDecodingError("\(field()): count \(n) exceeds the \(remaining) bytes left")
        }
        var out: [UInt64] = []
        out.reserveCapacity(n)
        for _ in 0..<n { out.append(try u64(field())) }
        return out
    }

    /// A count of items each at least `minSize` bytes long, checked against what is left, so
    /// that a forged count cannot make the caller reserve memory for items that are not there.
    public mutating func count(_ field: @autoclosure () -> String, minSize: Int) throws(WireDecodingError) -> Int {
        let n = Int(try u32("\(field()) count"))
        guard n <= remaining / max(minSize, 1) else {
            throw WireDecodingError("\(field()): count \(n) exceeds the \(remaining) bytes left")
        }
        return n
    }

    /// Fails unless every byte was consumed: trailing bytes mean the input is not what it claims.
    public func expectEnd(_ what: @autoclosure () -> String) throws(WireDecodingError) {
        if remaining != 0 { throw WireDecodingError("\(what()): \(remaining) unexpected trailing bytes") }
    }
}
