import Testing
@testable import Raft

// The append protocol message by message: a follower's handling of MsgApp and MsgHeartbeat, the
// leader's handling of their responses, how it probes for the point where logs agree (fast log
// rejection), and what it sends for each replication state.

@Suite struct AppendHandlingTests {
    /// The follower's log is [1/1, 2/2]. It rejects an append whose preceding entry it lacks;
    /// otherwise it replaces conflicting entries, appends new ones, and commits up to the leader's
    /// commit index but never past the last entry the message covers.
    /// etcd: TestHandleMsgApp.
    @Test(arguments: [
        // The preceding entry does not match, or is missing.
        (Message(type: .msgApp, term: 2, logTerm: 3, index: 2, commit: 3), UInt64(2), UInt64(0), true),
        (Message(type: .msgApp, term: 2, logTerm: 3, index: 3, commit: 3), 2, 0, true),
        // Conflicts replaced, new entries appended.
        (Message(type: .msgApp, term: 2, logTerm: 1, index: 1, commit: 1), 2, 1, false),
        (Message(type: .msgApp, term: 2, logTerm: 0, index: 0, entries: [Entry(term: 2, index: 1)], commit: 1), 1, 1, false),
        (Message(type: .msgApp, term: 2, logTerm: 2, index: 2,
                 entries: [Entry(term: 2, index: 3), Entry(term: 2, index: 4)], commit: 3), 4, 3, false),
        (Message(type: .msgApp, term: 2, logTerm: 2, index: 2, entries: [Entry(term: 2, index: 3)], commit: 4), 3, 3, false),
        (Message(type: .msgApp, term: 2, logTerm: 1, index: 1, entries: [Entry(term: 2, index: 2)], commit: 4), 2, 2, false),
        // The commit index follows the leader's, capped at the last entry covered.
        (Message(type: .msgApp, term: 1, logTerm: 1, index: 1, commit: 3), 2, 1, false),
        (Message(type: .msgApp, term: 1, logTerm: 1, index: 1, entries: [Entry(term: 2, index: 2)], commit: 3), 2, 2, false),
        (Message(type: .msgApp, term: 2, logTerm: 2, index: 2, commit: 3), 2, 2, false),
        (Message(type: .msgApp, term: 2, logTerm: 2, index: 2, commit: 4), 2, 2, false),
    ] as [(Message, UInt64, UInt64, Bool)])
    func followerHandlesAppend(_ m: Message, lastIndex: UInt64, committed: UInt64, rejected: Bool) throws {
        let r = try newTestRaft(id: 1, storage: testStorage(peers: [1], entries: logEntries(from: 1, terms: 1, 2)))
        r.becomeFollower(term: 2, lead: PeerID.none)
        try r.handleAppendEntries(m)
        #expect(r.raftLog.lastIndex() == lastIndex)
        #expect(r.raftLog.committed == committed)
        let answers = r.readMessages()
        try #require(answers.count == 1)
        #expect(answers[0].type == .msgAppResp)
        #expect(answers[0].reject == rejected)
    }

    /// A heartbeat moves the follower's commit index up to the leader's, never down, and is
    /// always answered.
    /// etcd: TestHandleHeartbeat.
    @Test(arguments: [(3, 3), (1, 2)] as [(UInt64, UInt64)])
    func followerHandlesHeartbeat(leaderCommit: UInt64, committed: UInt64) throws {
        let r = try newTestRaft(id: 1, election: 5, storage: testStorage(peers: [1, 2], entries: logEntries(from: 1, terms: 1, 2, 3)))
        r.becomeFollower(term: 2, lead: 2)
        try r.raftLog.commitTo(2)
        try r.handleHeartbeat(Message(type: .msgHeartbeat, to: 1, from: 2, term: 2, commit: leaderCommit, context: bytes("c")))
        #expect(r.raftLog.committed == committed)
        #expect(r.readMessages() == [Message(type: .msgHeartbeatResp, to: 2, from: 1, term: 2, context: bytes("c"))])
    }

    /// A leader answers a heartbeat response from a follower that is behind with the entries it
    /// lacks, every time, until the follower acknowledges them.
    /// etcd: TestHandleHeartbeatResp.
    @Test func heartbeatResponseResendsMissingEntries() throws {
        let r = try newTestRaft(id: 1, election: 5, storage: testStorage(peers: [1, 2], entries: logEntries(from: 1, terms: 1, 2, 3)))
        r.becomeLeaderNow()
        try r.raftLog.commitTo(r.raftLog.lastIndex())
        try r.step(Message(type: .msgHeartbeatResp, from: 2))
        var sent = r.readMessages()
        try #require(sent.count == 1)
        #expect(sent[0].type == .msgApp)
        try r.step(Message(type: .msgHeartbeatResp, from: 2))
        sent = r.readMessages()
        try #require(sent.count == 1)
        #expect(sent[0].type == .msgApp)
        try r.step(Message(type: .msgAppResp, from: 2, index: sent[0].index + UInt64(sent[0].entries.count)))
        _ = r.readMessages()
        try r.step(Message(type: .msgHeartbeatResp, from: 2))
        #expect(r.readMessages().isEmpty)
    }

    /// Appends are sent to followers that have answered; one still waiting on its probe gets
    /// the new entry only once it answers.
    /// etcd: TestMsgAppRespWaitReset.
    @Test func appendResponseReleasesTheWait() throws {
        let s = try testStorage(peers: [1, 2, 3])
        let r = try newTestRaft(id: 1, election: 5, storage: s)
        r.becomeLeaderNow()
        try r.nextEnts(s)
        try r.step(Message(type: .msgAppResp, from: 2, index: 1))
        #expect(r.raftLog.committed == 1)
        _ = r.readMessages()
        try r.step(Message(type: .msgProp, from: 1, entries: [Entry()]))
        var sent = r.readMessages()
        try #require(sent.count == 1)
        #expect(sent[0].type == .msgApp && sent[0].to == 2)
        #expect(sent[0].entries.map(\.index) == [2])
        try r.step(Message(type: .msgAppResp, from: 3, index: 1))
        sent = r.readMessages()
        try #require(sent.count == 1)
        #expect(sent[0].type == .msgApp && sent[0].to == 3)
        #expect(sent[0].entries.map(\.index) == [2])
    }

    /// The leader's log is [1/1, 1/2] plus its empty entry 1/3; follower 2 is probed at 3.
    /// A stale rejection changes nothing; a real one moves the probe back; an acceptance commits
    /// and broadcasts; acknowledging the probe's own predecessor switches to replicating.
    /// etcd: TestLeaderAppResp.
    @Test(arguments: [
        (UInt64(3), true, UInt64(0), UInt64(3), 0, UInt64(0), UInt64(0)),
        (2, true, 0, 2, 1, 1, 0),
        (2, false, 2, 4, 2, 2, 2),
        (0, false, 0, 4, 1, 0, 0),
    ] as [(UInt64, Bool, UInt64, UInt64, Int, UInt64, UInt64)])
    func leaderHandlesAppendResponse(
        index: UInt64, reject: Bool, match: UInt64, next: UInt64, sentCount: Int, sentIndex: UInt64, sentCommit: UInt64
    ) throws {
        let r = try newTestRaft(id: 1, storage: testStorage(peers: [1, 2, 3], entries: logEntries(from: 1, terms: 1, 1)))
        r.becomeLeaderNow()
        _ = r.readMessages()
        try r.step(Message(type: .msgAppResp, from: 2, term: r.term, index: index, reject: reject, rejectHint: index))
        let pr = try #require(r.trk.progress[2])
        #expect(pr.match == match)
        #expect(pr.next == next)
        let sent = r.readMessages()
        #expect(sent.count == sentCount)
        for m in sent {
            #expect(m.index == sentIndex)
            #expect(m.commit == sentCommit)
        }
    }

    /// Heartbeats carry no index, log term or entries, and a commit index capped at what each
    /// follower is known to hold.
    /// etcd: TestBcastBeat.
    @Test func heartbeatCommitIsCappedAtFollowerMatch() throws {
        let storage = MemoryStorage()
        try storage.applySnapshot(Snapshot(metadata: SnapshotMetadata(
            confState: ConfState(voters: [1, 2, 3]), index: 1000, term: 1)))
        let r = try newTestRaft(id: 1, storage: storage)
        r.term = 1
        r.becomeLeaderNow()
        for i in 1...10 { r.mustAppendEntry(Entry(index: UInt64(i))) }
        r.advanceMessagesAfterAppend()
        let slow = try #require(r.trk.progress[2]), fast = try #require(r.trk.progress[3])
        slow.match = 5
        slow.next = 6
        fast.match = r.raftLog.lastIndex()
        fast.next = r.raftLog.lastIndex() + 1
        try r.step(Message(type: .msgBeat))
        let sent = sortedMessages(r.readMessages())
        try #require(sent.count == 2)
        #expect(sent.map(\.commit) == [min(r.raftLog.committed, 5), min(r.raftLog.committed, fast.match)])
        for m in sent {
            #expect(m.type == .msgHeartbeat && m.index == 0 && m.logTerm == 0 && m.entries.isEmpty)
        }
    }

    /// A replicating follower's `next` moves on optimistically with each append; a probed one's
    /// stays put until it answers.
    /// etcd: TestLeaderIncreaseNext.
    @Test(arguments: [(ProgressState.replicate, UInt64(6)), (.probe, 2)] as [(ProgressState, UInt64)])
    func nextIndexAdvancesOnlyWhenReplicating(_ state: ProgressState, next: UInt64) throws {
        let r = try newTestRaft(id: 1, peers: [1, 2])
        try r.raftLog.append(logEntries(from: 1, terms: 1, 2, 3))
        r.becomeLeaderNow()
        let pr = try #require(r.trk.progress[2])
        pr.state = state
        pr.next = 2
        try r.step(propMessage())
        #expect(pr.next == next)
    }

    /// A probed follower gets one append, then nothing until it answers; heartbeats go on, and a
    /// heartbeat response allows the next probe.
    /// etcd: TestSendAppendForProgressProbe.
    @Test func probedFollowerGetsOneAppendAtATime() throws {
        let r = try newTestRaft(id: 1, peers: [1, 2])
        r.becomeLeaderNow()
        _ = r.readMessages()
        let pr = try #require(r.trk.progress[2])
        pr.becomeProbe()
        for round in 0..<3 {
            if round == 0 {
                r.mustAppendEntry(Entry(data: bytes("somedata")))
                r.sendAppend(2)
                let first = r.readMessages()
                try #require(first.count == 1)
                #expect(first[0].index == 0)
            }
            #expect(pr.msgAppFlowPaused)
            for _ in 0..<10 {
                r.mustAppendEntry(Entry(data: bytes("somedata")))
                r.sendAppend(2)
                #expect(r.readMessages().isEmpty)
            }
            for _ in 0..<r.heartbeatTimeout { try r.step(localMessage(.msgBeat)) }
            #expect(pr.msgAppFlowPaused)
            let beats = r.readMessages()
            try #require(beats.count == 1)
            #expect(beats[0].type == .msgHeartbeat)
        }
        try r.step(Message(type: .msgHeartbeatResp, to: 1, from: 2))
        let probe = r.readMessages()
        try #require(probe.count == 1)
        #expect(probe[0].index == 0)
        #expect(pr.msgAppFlowPaused)
    }

    /// A replicating follower gets an append for every new entry.
    /// etcd: TestSendAppendForProgressReplicate.
    @Test func replicatingFollowerGetsEveryAppend() throws {
        let r = try newTestRaft(id: 1, peers: [1, 2])
        r.becomeLeaderNow()
        _ = r.readMessages()
        try #require(r.trk.progress[2]).becomeReplicate()
        for _ in 0..<10 {
            r.mustAppendEntry(Entry(data: bytes("somedata")))
            r.sendAppend(2)
            #expect(r.readMessages().count == 1)
        }
    }

    /// A follower waiting for a snapshot gets no appends.
    /// etcd: TestSendAppendForProgressSnapshot.
    @Test func followerAwaitingSnapshotGetsNoAppends() throws {
        let r = try newTestRaft(id: 1, peers: [1, 2])
        r.becomeLeaderNow()
        _ = r.readMessages()
        try #require(r.trk.progress[2]).becomeSnapshot(10)
        for _ in 0..<10 {
            r.mustAppendEntry(Entry(data: bytes("somedata")))
            r.sendAppend(2)
            #expect(r.readMessages().isEmpty)
        }
    }

    /// An unreachable replicating follower is probed again from its match index.
    /// etcd: TestRecvMsgUnreachable.
    @Test func unreachableFollowerIsProbedAgain() throws {
        let r = try newTestRaft(id: 1, storage: testStorage(peers: [1, 2], entries: logEntries(from: 1, terms: 1, 2, 3)))
        r.becomeLeaderNow()
        _ = r.readMessages()
        let pr = try #require(r.trk.progress[2])
        pr.match = 3
        pr.becomeReplicate()
        pr.next = 6
        try r.step(Message(type: .msgUnreachable, to: 1, from: 2))
        #expect(pr.state == .probe)
        #expect(pr.next == pr.match + 1)
    }

    /// Appends arriving out of order: the later one is rejected, the earlier one accepted; once
    /// the leader probes again, the delayed rejection makes it resend from the match index, not
    /// from the (lower) hint.
    /// etcd: TestLogReplicationWithReorderedMessage.
    @Test func reorderedAppendsRecoverFromMatch() throws {
        let r1 = try newTestRaft(id: 1, peers: [1, 2])
        r1.becomeLeaderNow()
        _ = r1.readMessages()
        try #require(r1.trk.progress[2]).becomeReplicate()
        let r2 = try newTestRaft(id: 2, peers: [1, 2])

        r1.mustAppendEntry(Entry(data: bytes("somedata")))
        r1.sendAppend(2)
        let first = try onlyMessage(r1)
        r1.mustAppendEntry(Entry(data: bytes("somedata")))
        r1.sendAppend(2)
        let second = try onlyMessage(r1)

        try r2.step(second)
        let rejection = try onlyMessage(r2)
        #expect(rejection.reject && rejection.rejectHint == 0 && rejection.index == 2)
        try r2.step(first)
        let ack = try onlyMessage(r2)
        #expect(!ack.reject && ack.index == 2)
        try r1.step(ack)
        _ = try onlyMessage(r1)
        #expect(r1.trk.progress[2]?.match == 2)

        try r1.step(Message(type: .msgUnreachable, to: 1, from: 2))
        #expect(r1.trk.progress[2]?.state == .probe)
        try r1.step(rejection)
        let resent = try onlyMessage(r1)
        #expect(resent.index == r1.trk.progress[2]?.match)
    }

    /// The follower's rejection hints the last index whose term is at most the probe's term, and
    /// the leader skips to the last of its own entries at or below that hint's term: conflicting
    /// runs of entries are skipped a term at a time, not an index at a time.
    /// etcd: TestFastLogRejection.
    @Test(arguments: [
        ([1, 2, 2, 4, 4, 4, 4], [1, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3], 0, 3, 7, 2, 3),
        ([1, 2, 2, 3, 4, 4, 4, 5], [1, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3], 0, 3, 8, 3, 4),
        ([1, 1, 1, 1], [1, 2, 2, 4], 0, 1, 1, 1, 1),
        ([1, 1, 1, 1, 1, 1], [1, 2, 2, 4], 0, 1, 1, 1, 1),
        ([1, 1, 1, 1], [1, 2, 2, 4, 4, 4], 0, 1, 1, 1, 1),
        ([1, 1, 1, 4, 5], [1, 1, 1, 4], 0, 4, 4, 4, 4),
        ([2, 5, 5, 5, 5, 5, 5, 5, 5], [2, 4, 4, 4, 4, 4], 0, 4, 6, 2, 1),
        ([2, 2, 2, 2, 2], [2, 4, 4, 4, 4, 4, 4, 4], 0, 2, 1, 2, 1),
        // A stale probe reaches a follower that compacted past it: the hint has no term.
        ([1, 1, 3], [1, 1, 3, 3, 3], 5, 0, 3, 1, 2),
    ] as [([UInt64], [UInt64], UInt64, UInt64, UInt64, UInt64, UInt64)])
    func fastLogRejection(
        leaderTerms: [UInt64], followerTerms: [UInt64], followerCompact: UInt64,
        hintTerm: UInt64, hintIndex: UInt64, nextTerm: UInt64, nextIndex: UInt64
    ) throws {
        let leaderLog = logEntries(from: 1, termList: leaderTerms)
        let last = try #require(leaderLog.last)
        let s1 = try testStorage(peers: [1, 2, 3], entries: leaderLog, hardState: HardState(term: last.term - 1, commit: last.index))
        let n1 = try newTestRaft(id: 1, storage: s1)
        n1.becomeLeaderNow()
        let s2 = try testStorage(peers: [1, 2, 3], entries: logEntries(from: 1, termList: followerTerms),
                                 hardState: HardState(term: last.term, vote: 1, commit: 0))
        let n2 = try newTestRaft(id: 2, storage: s2)
        if followerCompact != 0 {
            // Not a state a real follower reaches (its commit index is 0), but one it must survive.
            try s2.compact(followerCompact)
        }

        try n2.step(Message(type: .msgHeartbeat, to: 2, from: 1))
        let beatResp = try onlyMessage(n2)
        #expect(beatResp.type == .msgHeartbeatResp)
        try n1.step(beatResp)
        let app = try onlyMessage(n1)
        #expect(app.type == .msgApp)
        try n2.step(app)
        let rejection = try onlyMessage(n2)
        #expect(rejection.type == .msgAppResp && rejection.reject)
        #expect(rejection.logTerm == hintTerm)
        #expect(rejection.rejectHint == hintIndex)
        try n1.step(rejection)
        let next = try #require(n1.readMessages().first)
        #expect(next.logTerm == nextTerm)
        #expect(next.index == nextIndex)
    }
}

/// The one message `r` sends; the test fails if there is not exactly one.
func onlyMessage(_ r: RaftStateMachine, sourceLocation: SourceLocation = #_sourceLocation) throws -> Message {
    let sent = r.readMessages()
    try #require(sent.count == 1, "expected exactly one message, got \(sent)", sourceLocation: sourceLocation)
    return sent[0]
}
