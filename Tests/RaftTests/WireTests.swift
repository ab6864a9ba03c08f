import Testing
@testable import Raft

@Suite struct WireTests {
    @Test func entryDescription() {
        #expect(Entry(term: 1, index: 3, data: Array("foo".utf8)).description == #"1/3 EntryNormal "foo""#)
        #expect(Entry(term: 1, index: 4).description == #"1/4 EntryNormal """#)
        let cc = ConfChangeV2(changes: try! ConfChangeSingle.parse("v2 l3"))
        #expect(Entry(term: 1, index: 5, type: .entryConfChangeV2, data: cc.marshal()).description
            == "1/5 EntryConfChangeV2 v2 l3")
        let v1 = ConfChange(type: .confChangeRemoveNode, nodeID: 7)
        #expect(Entry(term: 2, index: 6, type: .entryConfChange, data: v1.marshal()).description
            == "2/6 EntryConfChange r7")
    }

    @Test func goQuoting() {
        #expect(GoQuote.quote(Array("a\"b\\c\n".utf8)) == #""a\"b\\c\n""#)
        #expect(GoQuote.quote([0x00, 0x7f, 0xff]) == #""\x00\x7f\xff""#)
        #expect(GoQuote.quote(Array("héllo 世界".utf8)) == "\"héllo 世界\"")
        #expect(GoQuote.quote(Array("\u{a0}".utf8)) == #""\u00a0""#)
    }

    @Test func messageDescription() {
        let m = Message(type: .msgApp, to: 2, from: 1, term: 1, logTerm: 1, index: 2, entries: [Entry(term: 1, index: 3)], commit: 2)
        #expect(m.description == #"1->2 MsgApp Term:1 Log:1/2 Commit:2 Entries:[1/3 EntryNormal ""]"#)
        let r = Message(type: .msgAppResp, to: 1, from: 2, term: 1, index: 3, reject: true, rejectHint: 2)
        #expect(r.description == "2->1 MsgAppResp Term:1 Log:0/3 Rejected (Hint: 2)")
        let multi = Message(type: .msgApp, to: 11, from: 1, entries: [Entry(term: 1, index: 1), Entry(term: 1, index: 2)])
        #expect(multi.description == "1->b MsgApp Term:0 Log:0/0 Entries:[\n  1/1 EntryNormal \"\"\n  1/2 EntryNormal \"\"\n]")
    }

    /// Read states print as Go's `%v` of `[]ReadState` in etcd's DescribeReady: each element
    /// `{index [bytes]}`, elements separated by spaces; an empty context is `[]`.
    @Test func readStatesInReady() {
        #expect(ReadState(index: 12, requestCtx: Array("12".utf8)).description == "{12 [49 50]}")
        #expect(ReadState(index: 3, requestCtx: []).description == "{3 []}")
        var rd = Ready()
        rd.readStates = [ReadState(index: 5, requestCtx: [1]), ReadState(index: 6, requestCtx: [2, 3])]
        #expect(rd.describe() == "Ready MustSync=false:\nReadStates [{5 [1]} {6 [2 3]}]\n")
    }

    @Test func confChangeTextRoundTrip() throws {
        let ccs = try ConfChangeSingle.parse(" v1 r2 l3 u4 ")
        #expect(ccs.compactDescription == "v1 r2 l3 u4")
        #expect(try ConfChangeSingle.parse("").isEmpty)
        #expect(throws: ConfChangeParseError.self) { try ConfChangeSingle.parse("x1") }
        #expect(throws: ConfChangeParseError.self) { try ConfChangeSingle.parse("v") }
        #expect(throws: ConfChangeParseError.self) { try ConfChangeSingle.parse("vx") }
    }

    @Test func confChangeCodecRoundTrip() throws {
        let v2 = ConfChangeV2(transition: .jointExplicit, changes: try ConfChangeSingle.parse("v1 l300"), context: [1, 2])
        #expect(try ConfChangeV2(unmarshaling: v2.marshal()) == v2)
        let v1 = ConfChange(type: .confChangeAddLearnerNode, nodeID: 1 << 40, context: [9], id: 5)
        #expect(try ConfChange(unmarshaling: v1.marshal()) == v1)
        #expect(try ConfChangeV2(unmarshaling: []) == ConfChangeV2())
        #expect(throws: ProtobufDecodingError.self) { try ConfChangeV2(unmarshaling: [0x12, 0x05, 0x08]) }
        #expect(throws: ProtobufDecodingError.self) { try ConfChange(unmarshaling: [0x10, 0x09]) }
    }

    @Test func encodedSizeMatchesProtobuf() {
        // Term and index are always counted; type and data only when set (FieldPresenceTests).
        #expect(Entry().encodedSize == 4)
        #expect(Entry(term: 1, index: 3, data: Array("foo".utf8)).encodedSize == 9)
        #expect(Entry(term: 1, index: 3, type: .entryNormal, data: Array("foo".utf8)).encodedSize == 11)
        #expect(ProtobufWire.varintSize(0) == 1)
        #expect(ProtobufWire.varintSize(127) == 1)
        #expect(ProtobufWire.varintSize(128) == 2)
        #expect(ProtobufWire.varintSize(.max) == 10)
    }
}
