/// CRC-32C (Castagnoli), the checksum on every WAL record, snapshot file and nothing else.
///
/// Castagnoli's polynomial rather than the zlib one because it detects more of the error patterns
/// that disks produce, and because it is what etcd's WAL and most storage engines use. This is the
/// plain table-driven (one byte per step) form: fast enough for our record sizes, and short enough
/// to check by eye against the definition.
public enum CRC32C {
    /// The reflected Castagnoli polynomial.
    static let polynomial: UInt32 = 0x82F6_3B78

    /// The remainder of every byte value, computed once.
    static let table: [UInt32] = (0..<256).map { (n: Int) -> UInt32 in
        var c = UInt32(n)
        for _ in 0..<8 {
            c = (c & 1) != 0 ? (c >> 1) ^ polynomial : c >> 1
        }
        return c
    }

    /// The checksum of `bytes`, continuing from `crc` (the checksum of what came before, 0 to
    /// start), so that a record's parts can be summed without concatenating them.
    public static func checksum<Bytes: Sequence>(_ bytes: Bytes, continuing crc: UInt32 = 0) -> UInt32
    where Bytes.Element == UInt8 {
        var c = ~crc
        table.withUnsafeBufferPointer { t in
            for b in bytes {
                c = t[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8)
            }
        }
        return ~c
    }
}
