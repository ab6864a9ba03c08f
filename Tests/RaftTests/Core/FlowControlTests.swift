import Testing
@testable import Raft

// Flow control: how many appends (and bytes) the leader keeps in flight to a follower, how
// answers and heartbeats free the window, how a probed follower is paused, and the limit on
// uncommitted proposals.

/// A leader (node 1 of [1, 2], election timeout 5) with follower 2 replicating and its inflight
/// window filled with one-entry appends.
private func leaderWithFullWindow() throws -> (RaftStateMachine, Progress) {
    let r = try newTestRaft(id: 1, peers: [1, 2], election: 5)
    r.becomeLeaderNow()
    let pr = try #require(r.trk.progress[2])
    pr.becomeReplicate()
    for _ in 0..<r.trk.maxInflight {
        try r.step(propMessage())
        let sent = r.readMessages()
        try #require(sent.count == 1 && sent[0].type == .msgApp)
    }
    return (r, pr)
}

@Suite struct FlowControlTests {
    /// Appends fill the window; once it is full, new proposals send nothing.
    /// etcd: TestMsgAppFlowControlFull.
    @Test func fullWindowStopsAppends() throws {
        let (r, pr) = try leaderWithFullWindow()
        #expect(pr.isPaused)
        #expect(pr.inflights.full)
        for _ in 0..<10 {
            try r.step(propMessage())
            #expect(r.readMessages().isEmpty)
        }
    }

    /// An acknowledgement frees every inflight append up to its index, so one more can go; stale
    /// acknowledgements free nothing.
    /// etcd: TestMsgAppFlowControlMoveForward.
    @Test func acknowledgementsSlideTheWindow() throws {
        let (r, pr) = try leaderWithFullWindow()
        // Index 1 is the leader's empty entry; the proposals start at 2.
        for acked in 2..<UInt64(r.trk.maxInflight) {
            try r.step(Message(type: .msgAppResp, to: 1, from: 2, index: acked))
            _ = r.readMessages()
            try r.step(propMessage())
            let sent = r.readMessages()
            try #require(sent.count == 1)
            #expect(sent[0].type == .msgApp)
            #expect(pr.isPaused)
            for stale in 0..<acked {
                try r.step(Message(type: .msgAppResp, to: 1, from: 2, index: stale))
                #expect(pr.isPaused, "stale ack \(stale) after \(acked)")
            }
        }
    }

    /// A heartbeat response unpauses a full follower for one empty append (so that it answers and
    /// frees the window if earlier appends were lost); proposals still go nowhere.
    /// etcd: TestMsgAppFlowControlRecvHeartbeat.
    @Test func heartbeatResponseSendsOneEmptyAppend() throws {
        let (r, pr) = try leaderWithFullWindow()
        for responses in 1..<5 {
            for _ in 0..<responses {
                #expect(pr.isPaused)
                try r.step(Message(type: .msgHeartbeatResp, to: 1, from: 2))
                let sent = r.readMessages()
                try #require(sent.count == 1)
                #expect(sent[0].type == .msgApp)
                #expect(sent[0].entries.isEmpty)
            }
            for _ in 0..<10 {
                #expect(pr.isPaused)
                try r.step(propMessage())
                #expect(r.readMessages().isEmpty)
            }
            try r.step(Message(type: .msgHeartbeatResp, to: 1, from: 2))
            _ = r.readMessages()
        }
    }

    /// The leader's own progress follows its log once its entries are persisted.
    /// etcd: TestProgressLeader.
    @Test func leaderProgressFollowsPersistence() throws {
        let r = try newTestRaft(id: 1, peers: [1, 2], election: 5)
        r.becomeLeaderNow()
        try #require(r.trk.progress[2]).becomeReplicate()
        for _ in 0..<5 { try r.step(propMessage("foo")) }
        #expect(r.trk.progress[1]?.match == 0)
        let unstable = r.raftLog.nextUnstableEnts()
        #expect(unstable.count == 6)
        #expect(unstable.first?.data.isEmpty == true)
        #expect(unstable.last?.data == bytes("foo"))
        r.advanceMessagesAfterAppend()
        #expect(r.trk.progress[1]?.match == 6)
        #expect(r.trk.progress[1]?.next == 7)
    }

    /// A heartbeat does not unpause a follower; a heartbeat response does.
    /// etcd: TestProgressResumeByHeartbeatResp.
    @Test func onlyHeartbeatResponseUnpauses() throws {
        let r = try newTestRaft(id: 1, peers: [1, 2], election: 5)
        r.becomeLeaderNow()
        let pr = try #require(r.trk.progress[2])
        pr.msgAppFlowPaused = true
        try r.step(localMessage(.msgBeat))
        #expect(pr.msgAppFlowPaused)
        pr.becomeReplicate()
        #expect(!pr.msgAppFlowPaused)
        pr.msgAppFlowPaused = true
        try r.step(Message(type: .msgHeartbeatResp, to: 1, from: 2))
        #expect(!pr.msgAppFlowPaused)
    }

    /// A probed follower gets one append for several proposals.
    /// etcd: TestProgressPaused.
    @Test func probedFollowerGetsOneAppend() throws {
        let r = try newTestRaft(id: 1, peers: [1, 2], election: 5)
        r.becomeLeaderNow()
        for _ in 0..<3 { try r.step(propMessage()) }
        #expect(r.readMessages().count == 1)
    }

    /// With three appends and 9000 payload bytes in flight at most, and about 2 KB per append:
    /// a probe carries what fits in one append; after it is acknowledged, appends stream until
    /// either limit is reached.
    /// etcd: TestProgressFlowControl.
    @Test func inflightCountAndBytesLimitAppends() throws {
        let r = try newTestRaft(id: 1, peers: [1, 2], election: 5) {
            $0.maxInflightMsgs = 3
            $0.maxSizePerMsg = 2048
            $0.maxInflightBytes = 9000
        }
        r.becomeLeaderNow()
        _ = r.readMessages()
        try #require(r.trk.progress[2]).becomeProbe()
        let small = String(repeating: "a", count: 1000), large = String(repeating: "b", count: 5000)
        for i in 0..<22 {
            try r.step(propMessage((10..<16).contains(i) ? large : small))
        }
        let probe = r.readMessages()
        try #require(probe.count == 1 && probe[0].type == .msgApp)
        try #require(probe[0].entries.count == 2)
        #expect(probe[0].entries[0].data.isEmpty)
        #expect(probe[0].entries[1].data.count == 1000)

        /// Acknowledges `index` and checks the appends that follow (entries per append); returns
        /// the last index sent.
        func ack(_ index: UInt64, expecting perAppend: [Int]) throws -> UInt64 {
            try r.step(Message(type: .msgAppResp, to: 1, from: 2, index: index))
            let sent = r.readMessages()
            #expect(sent.map(\.entries.count) == perAppend, "after ack \(index)")
            #expect(sent.allSatisfy { $0.type == .msgApp })
            return sent.last?.entries.last?.index ?? index
        }
        var index = try ack(probe[0].entries[1].index, expecting: [2, 2, 2])
        // The third append holds one large entry.
        index = try ack(index, expecting: [2, 1, 1])
        // Large entries one per append, and only two fit in the byte limit.
        index = try ack(index, expecting: [1, 1])
        index = try ack(index, expecting: [1, 1])
        // Small entries again.
        index = try ack(index, expecting: [1, 2, 2])
        _ = try ack(index, expecting: [2])
    }

    /// Proposals are dropped once the uncommitted tail would exceed the limit; one proposal may go
    /// over it when the tail was below it; empty entries always fit; applying releases the budget.
    /// etcd: TestUncommittedEntryLimit.
    @Test func uncommittedSizeLimit() throws {
        let maxEntries = 1024
        let entry = Entry(data: bytes("testdata"))
        let limit = UInt64(maxEntries) * payloadSize(entry).bytes
        #expect(payloadSize(Entry()) == 0)
        let r = try newTestRaft(id: 1, peers: [1, 2, 3], election: 5) {
            $0.maxUncommittedEntriesSize = limit
            $0.maxInflightMsgs = 2 * 1024
        }
        r.becomeLeaderNow()
        #expect(r.uncommittedSize == 0)
        try #require(r.trk.progress[2]).becomeReplicate()
        try #require(r.trk.progress[3]).becomeReplicate()

        let proposal = Message(type: .msgProp, to: 1, from: 1, entries: [entry])
        for _ in 0..<maxEntries { try r.step(proposal) }
        #expect(r.uncommittedSize.bytes == limit)
        #expect(throws: RaftError.proposalDropped) { try r.step(proposal) }
        #expect(r.readMessages().count == maxEntries * 2)
        r.reduceUncommittedSize(EntryPayloadSize(limit))
        #expect(r.uncommittedSize == 0)

        let large = Array(repeating: entry, count: 2 * maxEntries)
        try r.step(Message(type: .msgProp, to: 1, from: 1, entries: large))
        #expect(throws: RaftError.proposalDropped) { try r.step(proposal) }
        try r.step(Message(type: .msgProp, to: 1, from: 1, entries: [Entry()]))
        #expect(r.readMessages().count == 2 * 2)
        r.reduceUncommittedSize(payloadsSize(large))
        #expect(r.uncommittedSize == 0)
    }

    /// A term change forgets the uncommitted size (a new leader starts from zero).
    @Test func uncommittedSizeResetsWithTerm() throws {
        let r = try newTestRaft(id: 1, peers: [1, 2, 3]) { $0.maxUncommittedEntriesSize = 100 }
        r.becomeLeaderNow()
        try r.step(propMessage(String(repeating: "x", count: 60)))
        #expect(r.uncommittedSize == 60)
        try r.step(Message(type: .msgHeartbeat, to: 1, from: 2, term: r.term + 1))
        #expect(r.state == .follower)
        #expect(r.uncommittedSize == 0)
    }
}
