/// Appends fixed-width little-endian integers and length-prefixed byte strings to a buffer: the
/// one way every on-disk and on-wire format of raftkv is written, so that `ByteReader` can check
/// every field it reads back.
public struct ByteWriter {
    public private(set) var bytes: [UInt8] = []

    public init(capacity: Int = 64) { bytes.reserveCapacity(capacity) }

    public mutating func u8(_ v: UInt8) { bytes.append(v) }

    public mutating func bool(_ v: Bool) { bytes.append(v ? 1 : 0) }

    public mutating func u32(_ v: UInt32) {
        withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) }
    }

    public mutating func u64(_ v: UInt64) {
        withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// A byte string: its length as a u32, then the bytes.
    public mutating func blob(_ v: [UInt8]) {
        u32(UInt32(v.count))
        bytes.append(contentsOf: v)
    }

    /// A list of ids: the count as a u32, then each as a u64.
    public mutating func ids(_ v: [UInt64]) {
        u32(UInt32(v.count))
        for id in v { u64(id) }
    }

    public mutating func raw(_ v: [UInt8]) { bytes.append(contentsOf: v) }

    /// How many bytes were written so far: the offset the next write lands at.
    public var count: Int { bytes.count }

    /// Overwrites the four bytes at `offset` (already written) with `v`: for a header whose
    /// fields (a length, a checksum) are known only once the body after it is written in place.
    public mutating func u32(_ v: UInt32, at offset: Int) {
        precondition(offset >= 0 && offset <= bytes.count - 4, "u32 at \(offset) past the \(bytes.count) bytes")
        bytes.withUnsafeMutableBytes { $0.storeBytes(of: v.littleEndian, toByteOffset: offset, as: UInt32.self) }
    }

    /// Calls `body` with the bytes written from `offset` on, without copying them.
    public func withBytes<R>(from offset: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try bytes.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[offset...])) }
    }
}
