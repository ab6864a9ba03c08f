import Raft
import Testing
@testable import RaftKV

@Suite struct CRC32CTests {
    /// The check value of CRC-32C from the catalogue of CRC parameters: "123456789".
    @Test func knownAnswer() {
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
    }

    /// RFC 3720 (iSCSI) B.4 test vectors: 32 zero bytes, 32 0xFF bytes, 0...31.
    @Test func iscsiVectors() {
        #expect(CRC32C.checksum([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)
        #expect(CRC32C.checksum([UInt8](repeating: 0xFF, count: 32)) == 0x62A8_AB43)
        #expect(CRC32C.checksum((0..<32).map { UInt8($0) }) == 0x46DD_794E)
    }

    /// Summing in parts gives the sum of the whole, and the empty input sums to 0.
    @Test func continuation() {
        let bytes = Array("the quick brown fox".utf8)
        #expect(CRC32C.checksum(bytes[10...], continuing: CRC32C.checksum(bytes[..<10])) == CRC32C.checksum(bytes))
        #expect(CRC32C.checksum([]) == 0)
    }
}

/// The slicing-by-8 checksum against the definition: a bit at a time, no tables.
@Suite struct CRC32CSlicingTests {
    /// CRC-32C straight from its definition, one bit per step: the reference the tables must
    /// agree with.
    static func bitwise(_ bytes: [UInt8], continuing crc: UInt32 = 0) -> UInt32 {
        var c = ~crc
        for b in bytes {
            c ^= UInt32(b)
            for _ in 0..<8 { c = (c & 1) != 0 ? (c >> 1) ^ 0x82F6_3B78 : c >> 1 }
        }
        return ~c
    }

    /// Random bytes of every length from 0 to 300 (every tail length after the 8-byte steps, and
    /// every alignment of those steps in an array slice), through the fast path and through a
    /// sequence with no contiguous storage, agree with the bitwise reference.
    @Test func matchesTheBitwiseDefinition() {
        var rng = SeededRandomNumberGenerator(seed: 0x5EED_C3C2)
        for length in 0...300 {
            let bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            let expected = Self.bitwise(bytes)
            #expect(CRC32C.checksum(bytes) == expected, "length \(length)")
            #expect(CRC32C.checksum(bytes.lazy.map { $0 }) == expected, "length \(length), non-contiguous")
            if length > 3 {
                let slice = bytes[3...]
                #expect(CRC32C.checksum(slice) == Self.bitwise(Array(slice)), "length \(length), offset 3")
            }
        }
    }

    /// The check value, through both paths.
    @Test func checkValue() {
        let bytes = Array("123456789".utf8)
        #expect(CRC32C.checksum(bytes) == 0xE306_9283)
        #expect(CRC32C.checksum(bytes.lazy.map { $0 }) == 0xE306_9283)
        #expect(Self.bitwise(bytes) == 0xE306_9283)
    }

    /// `continuing:` chains at every split point of a 300-byte input, mixing the fast and the
    /// byte-wise path, and continues from a nonzero start as the reference does.
    @Test func continuingChains() {
        var rng = SeededRandomNumberGenerator(seed: 42)
        let bytes = (0..<300).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        let whole = Self.bitwise(bytes)
        for split in 0...bytes.count {
            let head = CRC32C.checksum(bytes[..<split])
            #expect(CRC32C.checksum(bytes[split...], continuing: head) == whole, "split \(split)")
            #expect(CRC32C.checksum(bytes[split...].lazy.map { $0 }, continuing: head) == whole, "split \(split)")
        }
        #expect(CRC32C.checksum(bytes, continuing: 0xDEAD_BEEF) == Self.bitwise(bytes, continuing: 0xDEAD_BEEF))
    }
}
