/// CRC-32C (Castagnoli), the checksum on every WAL record, snapshot file and nothing else.
///
/// Castagnoli's polynomial rather than the zlib one because it detects more of the error patterns
/// that disks produce, and because it is what etcd's WAL and most storage engines use.
///
/// This is the slicing-by-8 form: eight tables of 256 remainders, where `tables[k][b]` is the
/// remainder of byte `b` followed by `k` zero bytes. Eight input bytes then cost eight lookups
/// and no dependency between them, instead of eight lookups each waiting for the one before (the
/// plain one-byte-per-step loop, which is what `tables[0]` alone gives and what the tail of the
/// input and a non-contiguous sequence still take). `CRC32CTests` checks it against the bitwise
/// definition for every length up to a few hundred bytes.
public enum CRC32C {
    /// The reflected Castagnoli polynomial.
    static let polynomial: UInt32 = 0x82F6_3B78

    /// The eight tables, one after the other (`tables[256 * k + b]`): table 0 is the remainder of
    /// each byte value, and table k + 1 is table k advanced over one more zero byte.
    static let tables: [UInt32] = {
        var t = [UInt32](repeating: 0, count: 8 * 256)
        for n in 0..<256 {
            var c = UInt32(n)
            for _ in 0..<8 {
                c = (c & 1) != 0 ? (c >> 1) ^ polynomial : c >> 1
            }
            t[n] = c
        }
        for k in 1..<8 {
            for n in 0..<256 {
                let previous = t[256 * (k - 1) + n]
                t[256 * k + n] = t[Int(previous & 0xFF)] ^ (previous >> 8)
            }
        }
        return t
    }()

    /// The checksum of `bytes`, continuing from `crc` (the checksum of what came before, 0 to
    /// start), so that a record's parts can be summed without concatenating them.
    ///
    /// - Complexity: O(n); contiguous inputs (arrays, array slices) take eight bytes per step.
    public static func checksum<Bytes: Sequence>(_ bytes: Bytes, continuing crc: UInt32 = 0) -> UInt32
    where Bytes.Element == UInt8 {
        let fast = bytes.withContiguousStorageIfAvailable { buffer in
            checksum(contiguous: UnsafeRawBufferPointer(buffer), continuing: crc)
        }
        if let fast { return fast }
        var c = ~crc
        tables.withUnsafeBufferPointer { t in
            for b in bytes {
                c = t[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8)
            }
        }
        return ~c
    }

    /// The checksum of the bytes in `buffer`, continuing from `crc`: eight bytes per step, then
    /// one at a time for the last up to seven.
    static func checksum(contiguous buffer: UnsafeRawBufferPointer, continuing crc: UInt32) -> UInt32 {
        var c = ~crc
        tables.withUnsafeBufferPointer { t in
            var i = 0
            let n = buffer.count
            while n - i >= 8 {
                // Little-endian loads: the reflected CRC consumes the lowest byte first.
                let lo = UInt32(littleEndian: buffer.loadUnaligned(fromByteOffset: i, as: UInt32.self)) ^ c
                let hi = UInt32(littleEndian: buffer.loadUnaligned(fromByteOffset: i + 4, as: UInt32.self))
                let fromLo =
                    t[7 * 256 + Int(lo & 0xFF)] ^ t[6 * 256 + Int((lo >> 8) & 0xFF)]
                    ^ t[5 * 256 + Int((lo >> 16) & 0xFF)] ^ t[4 * 256 + Int(lo >> 24)]
                let fromHi =
                    t[3 * 256 + Int(hi & 0xFF)] ^ t[2 * 256 + Int((hi >> 8) & 0xFF)]
                    ^ t[1 * 256 + Int((hi >> 16) & 0xFF)] ^ t[Int(hi >> 24)]
                c = fromLo ^ fromHi
                i += 8
            }
            while i < n {
                c = t[Int((c ^ UInt32(buffer[i])) & 0xFF)] ^ (c >> 8)
                i += 1
            }
        }
        return ~c
    }
}
