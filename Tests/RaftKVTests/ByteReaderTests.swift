import Testing
@testable import RaftKV

/// `ByteReader`'s field labels are autoclosures: built only when a read fails.
@Suite struct ByteReaderTests {
    /// Successful reads never build their labels; a failing one does, and its message names the
    /// field (with the suffix a length or count read adds).
    @Test func labelsAreBuiltOnlyOnFailure() throws {
        var w = ByteWriter()
        w.u8(1)
        w.bool(true)
        w.u32(7)
        w.u64(9)
        w.blob([1, 2, 3])
        w.ids([4, 5])
        w.u32(1)
        w.u8(0)
        var built = 0
        func label(_ name: String) -> String {
            built += 1
            return name
        }
        var r = ByteReader(w.bytes)
        #expect(try r.u8(label("a")) == 1)
        #expect(try r.bool(label("b")) == true)
        #expect(try r.u32(label("c")) == 7)
        #expect(try r.u64(label("d")) == 9)
        #expect(try r.blob(label("e")) == [1, 2, 3])
        #expect(try r.ids(label("f")) == [4, 5])
        #expect(try r.count(label("g"), minSize: 1) == 1)
        #expect(try r.u8(label("g item")) == 0)
        try r.expectEnd(label("h"))
        #expect(built == 0)

        var short = ByteReader([3, 0, 0, 0, 1])
        #expect(throws: WireDecodingError("payload: needs 3 bytes at offset 4, 1 left")) {
            _ = try short.blob(label("payload"))
        }
        #expect(built == 1)
        var cut = ByteReader([3, 0])
        #expect(throws: WireDecodingError("payload length: needs 4 bytes at offset 0, 2 left")) {
            _ = try cut.blob(label("payload"))
        }
        #expect(throws: WireDecodingError("tail: 2 unexpected trailing bytes")) { try cut.expectEnd(label("tail")) }
    }
}
