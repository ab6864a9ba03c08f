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
