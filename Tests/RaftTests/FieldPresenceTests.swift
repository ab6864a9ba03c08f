import Testing
@testable import Raft

/// etcd's messages have optional fields: a field the code never set is not encoded, and sizes
/// (which the size limits count) and the protobuf text in log lines see only the set ones. The
/// expected values are etcd's at the commit of our conformance files (`proto.Size`,
/// `DescribeConfChange`, `%v` of a `*ConfState`).
@Suite struct FieldPresenceTests {
    /// A proposal is `pb.Entry{Data: d}`: no type. At term 1, index 10, "v10" encodes as term (2),
    /// index (2) and data (1 + 1 + 3): 9 bytes, not 11.
    @Test func entrySizeCountsOnlySetFields() {
        #expect(Entry(term: 1, index: 10, data: bytes("v10")).encodedSize == 9)
        #expect(Entry(term: 1, index: 10, type: .entryNormal, data: bytes("v10")).encodedSize == 11)
        // A new leader's empty entry: neither type nor data.
        #expect(Entry(term: 1, index: 3).encodedSize == 4)
        // A payload set to nothing is still encoded (Go's non-nil empty slice).
        #expect(Entry(term: 1, index: 3, data: []).encodedSize == 6)
        #expect(Entry(term: 300, index: 1, data: [UInt8](repeating: 0, count: 200)).encodedSize
            == (1 + 2) + (1 + 1) + (1 + 2 + 200))
        // Presence changes the size only, not what the entry is.
        #expect(Entry(term: 1, index: 3, type: .entryNormal, data: []) == Entry(term: 1, index: 3))
    }

    /// `RawNode.propose` and a new leader build their entries without a type, as etcd's do; a
    /// refused conf change becomes an entry with the type set (etcd: `Type: EntryNormal`).
    @Test func raftBuildsEntriesAsEtcdDoes() throws {
        let s = try testStorage(peers: [1])
        let rn = try newTestRawNode(id: 1, storage: s)
        try electSingleNode(rn, s)
        let leaderEntry = try #require(try s.entries(1, 2, maxSize: noLimit).first)
        #expect(leaderEntry.typeIfSet == nil && leaderEntry.dataIfSet == nil)
        #expect(leaderEntry.encodedSize == 4)

        try rn.propose(bytes("v10"))
        try rn.proposeConfChange(ConfChange(type: .confChangeAddLearnerNode, nodeID: 2))
        try rn.proposeConfChange(ConfChange(type: .confChangeAddLearnerNode, nodeID: 3))  // refused: one is pending
        let last = rn.raft.raftLog.lastIndex()
        let ents = try rn.raft.raftLog.slice(last - 2, last + 1, maxSize: .unlimited)
        #expect(ents.map(\.typeIfSet) == [nil, .entryConfChange, .entryNormal])
        #expect(ents.map(\.encodedSize) == [9, 12, 6])
    }

    /// etcd's harness builds v1 changes with a type and a node id and no id: 4 bytes; an id that
    /// was set is encoded even when 0.
    @Test func confChangeV1EncodesIDOnlyWhenSet() throws {
        let withoutID = ConfChange(type: .confChangeAddNode, nodeID: 7)
        #expect(withoutID.marshal() == [0x10, 0x00, 0x18, 0x07])
        #expect(ConfChange(type: .confChangeAddNode, nodeID: 7, id: 0).marshal() == [0x08, 0x00, 0x10, 0x00, 0x18, 0x07])
        // What either side encodes decodes to the same presence and encodes back byte for byte.
        for encoded: [UInt8] in [[0x10, 0x00, 0x18, 0x07], [0x08, 0x00, 0x10, 0x00, 0x18, 0x07], [0x08, 0x05, 0x10, 0x03, 0x18, 0x07, 0x22, 0x01, 0x61]] {
            #expect(try ConfChange(unmarshaling: encoded).marshal() == encoded)
        }
        #expect(try ConfChange(unmarshaling: [0x10, 0x00, 0x18, 0x07]).idIfSet == nil)
        #expect(try ConfChange(unmarshaling: [0x08, 0x00, 0x10, 0x00, 0x18, 0x07]).idIfSet == 0)
    }

    /// A v2 change encodes its transition only when it was set: `asV2` of a v1 change leaves it
    /// unset, etcd's harness sets it.
    @Test func confChangeV2EncodesTransitionOnlyWhenSet() throws {
        let changes = [ConfChangeSingle(type: .confChangeAddNode, nodeID: 2)]
        #expect(ConfChangeV2(changes: changes).marshal() == [0x12, 0x04, 0x08, 0x00, 0x10, 0x02])
        #expect(ConfChangeV2(transition: .auto, changes: changes).marshal() == [0x08, 0x00, 0x12, 0x04, 0x08, 0x00, 0x10, 0x02])
        #expect(ConfChange(type: .confChangeAddNode, nodeID: 2).asV2().transitionIfSet == nil)
        for encoded: [UInt8] in [[0x12, 0x04, 0x08, 0x00, 0x10, 0x02], [0x08, 0x00, 0x12, 0x04, 0x08, 0x00, 0x10, 0x02], []] {
            #expect(try ConfChangeV2(unmarshaling: encoded).marshal() == encoded)
        }
    }

    /// etcd logs a refused conf change through `DescribeConfChange`, which converts a v1 change to
    /// v2 first.
    @Test func confChangesAreDescribedAsV2() {
        #expect(describeConfChange(ConfChange(type: .confChangeAddNode, nodeID: 7))
            == "transition:ConfChangeTransitionAuto changes:{type:ConfChangeAddNode node_id:7}")
        #expect(describeConfChange(ConfChange(type: .confChangeRemoveNode, nodeID: 3, context: bytes("x"), id: 9))
            == #"transition:ConfChangeTransitionAuto changes:{type:ConfChangeRemoveNode node_id:3} context:"x""#)
        #expect(describeConfChange(ConfChangeV2(transition: .jointExplicit))
            == "transition:ConfChangeTransitionJointExplicit")
    }

    /// `%v` of a `*ConfState` is its protobuf text: repeated fields once per value, empty ones
    /// left out, `auto_leave` when it was set. The tracker sets it; a bootstrap membership does not.
    @Test func confStateProtoText() {
        #expect(ConfState(voters: [1, 2, 3], autoLeave: false).protoText == "voters:1 voters:2 voters:3 auto_leave:false")
        #expect(ConfState(voters: [1, 2, 3]).protoText == "voters:1 voters:2 voters:3")
        #expect(ConfState(voters: [1], learners: [4], votersOutgoing: [1, 2], learnersNext: [2], autoLeave: true).protoText
            == "voters:1 learners:4 voters_outgoing:1 voters_outgoing:2 learners_next:2 auto_leave:true")
        #expect(ConfState().protoText == "")
        #expect(ProgressTracker(maxInflight: 1, maxBytes: 0).confState().autoLeaveIfSet == false)
    }

    /// `maxSizePerMsg` cuts appends at etcd's sizes: the empty entry (4 bytes) and "v10" (9) fit
    /// in 13; counted with a type each (6 + 11) only the first would.
    @Test func maxSizePerMsgCutsAtEtcdSizes() throws {
        let r = try newTestRaft(id: 1, peers: [1, 2]) { $0.maxSizePerMsg = 13 }
        r.becomeLeaderNow()
        _ = readMessages(r)
        try r.step(Message(type: .msgProp, from: 1, entries: [Entry(data: bytes("v10")), Entry(data: bytes("v11"))]))
        let app = try #require(readMessages(r).first { $0.type == .msgApp && $0.to == 2 })
        #expect(app.entries.map(\.index) == [1, 2])
    }
}
