import Testing
@testable import Raft

// The Ready/Advance contract: what a Ready carries and when, MustSync, paging of committed
// entries, the uncommitted-size bound, asynchronous storage writes, and etcd's text form.

/// A storage that returns all the entries asked for, whatever the size limit (some storages do:
/// the limit is only a hint).
private final class IgnoresSizeHintStorage: Storage {
    let inner: MemoryStorage
    init(_ inner: MemoryStorage) { self.inner = inner }
    func initialState() throws(StorageError) -> (HardState, ConfState) { inner.initialState() }
    func entries(_ lo: UInt64, _ hi: UInt64, maxSize: UInt64) throws(StorageError) -> [Entry] {
        try inner.entries(lo, hi, maxSize: noLimit)
    }
    func term(_ i: UInt64) throws(StorageError) -> UInt64 { try inner.term(i) }
    func lastIndex() throws(StorageError) -> UInt64 { inner.lastIndex() }
    func firstIndex() throws(StorageError) -> UInt64 { inner.firstIndex() }
    func snapshot() throws(StorageError) -> Snapshot { inner.snapshot() }
}

@Suite struct RawNodeReadyTests {
    /// Once a Ready is taken nothing in it is handed out again, and after Advance there is no
    /// Ready until something happens.
    @Test func readyIsHandedOutOnce() throws {
        let s = try testStorage(peers: [1, 2, 3])
        let rn = try newTestRawNode(id: 1, storage: s)
        #expect(!rn.hasReady())
        try rn.campaign()
        #expect(rn.hasReady())
        let rd = rn.ready()
        #expect(rd.messages.map(\.type) == [.msgVote, .msgVote])
        #expect(!rn.hasReady())
        s.setHardState(rd.hardState)
        rn.advance(rd)
        #expect(!rn.hasReady())
        // A vote from node 2 makes it leader: new state to hand out.
        try rn.step(Message(type: .msgVoteResp, to: 1, from: 2, term: 1))
        #expect(rn.hasReady())
    }

    /// MustSync: new entries, or a new term or vote, must be durable before messages go out; a new
    /// commit index alone need not.
    @Test(arguments: [
        (HardState(term: 1, vote: 1, commit: 1), HardState(term: 1, vote: 1, commit: 1), 0, false),
        (HardState(term: 1, vote: 1, commit: 2), HardState(term: 1, vote: 1, commit: 1), 0, false),
        (HardState(term: 1, vote: 1, commit: 1), HardState(term: 1, vote: 1, commit: 1), 1, true),
        (HardState(term: 2, vote: 1, commit: 1), HardState(term: 1, vote: 1, commit: 1), 0, true),
        (HardState(term: 1, vote: 2, commit: 1), HardState(term: 1, vote: 1, commit: 1), 0, true),
        (HardState(term: 1, vote: 0, commit: 1), HardState(term: 1, vote: 1, commit: 1), 0, true),
    ] as [(HardState, HardState, Int, Bool)])
    func mustSyncRule(current: HardState, previous: HardState, entryCount: Int, mustSync: Bool) {
        #expect(Ready.mustSync(current, previous, entryCount: entryCount) == mustSync)
    }

    /// `readyWithoutAccept` leaves the messages in raft; `ready` moves them into the Ready; and
    /// Advance does not drop messages produced in between.
    /// etcd: TestRawNodeConsumeReady.
    @Test func readyConsumesMessagesOnlyWhenAccepted() throws {
        let rn = try newTestRawNode(id: 1, election: 3, storage: testStorage(peers: [1]))
        let m1 = Message(context: bytes("foo"))
        let m2 = Message(context: bytes("bar"))
        rn.raft.msgs.append(m1)
        var rd = rn.readyWithoutAccept()
        #expect(rd.messages == [m1])
        #expect(rn.raft.msgs == [m1])
        rd = rn.ready()
        #expect(rn.raft.msgs.isEmpty)
        #expect(rd.messages == [m1])
        rn.raft.msgs.append(m2)
        rn.advance(rd)
        #expect(rn.raft.msgs == [m2])
    }

    /// Committed entries come out a page at a time (`maxCommittedSizePerReady`), contiguous and
    /// in order, however many are committed.
    /// etcd: TestCommitPagination.
    @Test func committedEntriesArePaged() throws {
        let s = try testStorage(peers: [1])
        let payload = bytes(String(repeating: "p", count: 100))
        let entrySize = Entry(term: 1, index: 10, data: payload).encodedSize
        let rn = try newTestRawNode(id: 1, storage: s) { $0.maxCommittedSizePerReady = UInt64(2 * entrySize + 10) }
        try electSingleNode(rn, s)
        for _ in 0..<10 { try rn.propose(payload) }
        var pages: [[Entry]] = []
        try runReadyLoop(rn, s, onCommitted: { _ in }, afterAdvance: { rd in
            if !rd.committedEntries.isEmpty { pages.append(rd.committedEntries) }
        }, until: { !rn.hasReady() })
        #expect(pages.allSatisfy { $0.count <= 2 })
        let indexes = pages.flatMap { $0.map(\.index) }
        #expect(indexes == Array(2...11))
    }

    /// A storage that ignores the size hint returns more entries than asked for; raft must still
    /// hand them out without a gap after a restart.
    /// etcd: TestRawNodeCommitPaginationAfterRestart, TestNodeCommitPaginationAfterRestart (merged).
    @Test func pagingSurvivesStorageIgnoringSizeHint() throws {
        let inner = try testStorage(peers: [1], hardState: HardState(term: 1, vote: 1, commit: 10))
        let ten = (1...10).map { Entry(term: 1, index: UInt64($0), data: bytes("a")) }
        try inner.append(ten)
        let size = Int(entsSize(ten).bytes)
        try inner.append([Entry(term: 1, index: 11, data: bytes("boom"))])
        let storage = IgnoresSizeHintStorage(inner)
        var config = testConfig(id: 1, storage: storage)
        // Suggests that the tenth entry should not come with the first nine.
        config.maxSizePerMsg = UInt64(size - ten[9].encodedSize - 1)
        let rn = try RawNode(config: config)

        var highestApplied: UInt64 = 0
        var rounds = 0
        while highestApplied != 11 {
            rounds += 1
            try #require(rounds < 20)
            let rd = rn.ready()
            let first = try #require(rd.committedEntries.first, "stopped applying at \(highestApplied)")
            #expect(highestApplied == 0 || first.index == highestApplied + 1, "gap after \(highestApplied)")
            highestApplied = try #require(rd.committedEntries.last).index
            rn.advance(rd)
            try rn.step(Message(type: .msgHeartbeat, to: 1, from: 2, term: 1, commit: 11))
        }
    }

    /// A leader cut off from its quorum keeps at most `maxUncommittedEntriesSize` of proposals;
    /// the budget is released as the entries are applied.
    /// etcd: TestRawNodeBoundedLogGrowthWithPartition.
    @Test func uncommittedTailIsBounded() throws {
        let maxEntries = 16
        let data = bytes("testdata")
        let limit = UInt64(maxEntries * data.count)
        let s = try testStorage(peers: [1])
        let rn = try newTestRawNode(id: 1, storage: s) { $0.maxUncommittedEntriesSize = limit }
        try electSingleNode(rn, s)

        var dropped = 0
        for _ in 0..<1024 {
            do { try rn.propose(data) } catch { dropped += 1 }
        }
        #expect(dropped == 1024 - maxEntries)
        #expect(rn.raft.uncommittedSize.bytes == limit)

        var rd = rn.ready()
        #expect(rd.entries.count == maxEntries)
        try s.append(rd.entries)
        rn.advance(rd)
        // Appended and committed, not applied yet.
        #expect(rn.raft.uncommittedSize.bytes == limit)

        rd = rn.ready()
        #expect(rd.entries.isEmpty)
        #expect(rd.committedEntries.count == maxEntries)
        rn.advance(rd)
        #expect(rn.raft.uncommittedSize == 0)
    }

    /// With asynchronous storage writes, the Ready's work arrives as messages to the append and
    /// apply threads; their responses, stepped back in, play the part of Advance. Entries are
    /// applied only once they are durable.
    @Test func asynchronousStorageWrites() throws {
        let s = try testStorage(peers: [1])
        let rn = try newTestRawNode(id: 1, storage: s) { $0.asyncStorageWrites = true }
        try rn.campaign()
        var applied: [Entry] = []
        var durable: Set<UInt64> = []
        var proposed = false
        var rounds = 0
        while rn.hasReady() {
            rounds += 1
            try #require(rounds < 30)
            let rd = rn.ready()
            // Advance is not used in this mode: it must change nothing.
            rn.advance(rd)
            #expect(rd.entries == [] || rd.messages.contains { $0.to == PeerID.localAppendThread })
            for m in rd.messages {
                switch m.to {
                case PeerID.localAppendThread:
                    #expect(m.type == .msgStorageAppend)
                    try s.append(m.entries)
                    durable.formUnion(m.entries.map(\.index))
                    if m.term != 0 || m.vote != 0 || m.commit != 0 {
                        s.setHardState(HardState(term: m.term, vote: m.vote, commit: m.commit))
                    }
                    for response in m.responses { try rn.step(response) }
                case PeerID.localApplyThread:
                    #expect(m.type == .msgStorageApply)
                    #expect(m.entries.allSatisfy { durable.contains($0.index) }, "applying an entry not yet durable")
                    applied += m.entries
                    for response in m.responses { try rn.step(response) }
                default:
                    Issue.record("unexpected message to \(m.to) in a single-node cluster")
                }
            }
            if rn.raft.state == .leader && !proposed {
                try rn.propose(bytes("async"))
                proposed = true
            }
        }
        #expect(rn.raft.state == .leader)
        #expect(applied.map(\.data) == [[], bytes("async")])
        #expect(rn.basicStatus().applied == 2)
        #expect(s.hardState == HardState(term: 1, vote: 1, commit: 2))
        #expect(s.lastIndex() == 2)
    }

    /// The append-thread message carries the hard state, the entries, and the responses that
    /// waited for them (the node's own acknowledgement before the storage response).
    @Test func storageAppendMessageShape() throws {
        let s = try testStorage(peers: [1])
        let rn = try newTestRawNode(id: 1, storage: s) { $0.asyncStorageWrites = true }
        try rn.campaign()
        let rd = rn.ready()
        try #require(rd.messages.count == 1)
        let m = rd.messages[0]
        #expect(m.describe() == """
            1->AppendThread MsgStorageAppend Term:1 Log:0/0 Vote:1 Responses:[
              1->1 MsgVoteResp Term:1 Log:0/0
            ]
            """)
        for response in m.responses { try rn.step(response) }
        #expect(rn.raft.state == .leader)
        let next = rn.ready()
        let append = try #require(next.messages.first { $0.to == PeerID.localAppendThread })
        #expect(append.entries == [Entry(term: 1, index: 1)])
        #expect(append.responses.map(\.type) == [.msgAppResp, .msgStorageAppendResp])
        #expect(append.responses.last?.from == PeerID.localAppendThread)
        #expect(!next.messages.contains { $0.to == PeerID.localApplyThread })
    }

    /// The text form of Readies, as etcd's interaction transcripts print them.
    @Test func readyDescriptions() throws {
        #expect(Ready().describe() == "<empty Ready>")

        let s = try testStorage(peers: [1])
        let rn = try newTestRawNode(id: 1, storage: s)
        try rn.campaign()
        var rd = rn.ready()
        #expect(rd.describe() == "Ready MustSync=true:\nLead:0 State:StateCandidate\nHardState Term:1 Vote:1 Commit:0\n")
        rn.advance(rd)
        rd = rn.ready()
        #expect(rd.describe() == "Ready MustSync=true:\nLead:1 State:StateLeader\nEntries:\n1/1 EntryNormal \"\"\n")
        try s.append(rd.entries)
        rn.advance(rd)
        rd = rn.ready()
        #expect(rd.describe() == "Ready MustSync=false:\nHardState Term:1 Vote:1 Commit:1\nCommittedEntries:\n1/1 EntryNormal \"\"\n")
        rn.advance(rd)

        let three = try newTestRawNode(id: 1, storage: testStorage(peers: [1, 2, 3]))
        try three.campaign()
        #expect(three.ready().describe() == """
            Ready MustSync=true:
            Lead:0 State:StateCandidate
            HardState Term:1 Vote:1 Commit:0
            Messages:
            1->2 MsgVote Term:1 Log:0/0
            1->3 MsgVote Term:1 Log:0/0

            """)

        var manual = Ready()
        manual.readStates = [ReadState(index: 7, requestCtx: bytes("hi"))]
        manual.snapshot = Snapshot(metadata: SnapshotMetadata(confState: ConfState(voters: [1, 2], learners: [3]), index: 5, term: 2))
        manual.entries = [
            Entry(term: 2, index: 6, type: .entryConfChange, data: ConfChange(type: .confChangeAddNode, nodeID: 4).marshal()),
            Entry(term: 2, index: 7, type: .entryConfChangeV2, data: ConfChangeV2(changes: [
                ConfChangeSingle(type: .confChangeAddLearnerNode, nodeID: 5),
                ConfChangeSingle(type: .confChangeRemoveNode, nodeID: 2),
            ]).marshal()),
        ]
        #expect(manual.describe() == """
            Ready MustSync=false:
            ReadStates [{7 [104 105]}]
            Entries:
            2/6 EntryConfChange v4
            2/7 EntryConfChangeV2 l5 r2
            Snapshot Index:5 Term:2 ConfState:Voters:[1 2] VotersOutgoing:[] Learners:[3] LearnersNext:[] AutoLeave:false

            """)
    }
}
