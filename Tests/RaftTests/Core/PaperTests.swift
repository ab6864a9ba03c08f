import Testing
@testable import Raft

// The rules of the Raft paper ("In Search of an Understandable Consensus Algorithm", Ongaro and
// Ousterhout), one test per rule, each naming its section. Every test sets a node up in a plain
// state, steps it with messages or ticks, and checks what it sends and what it becomes.

/// Records whether a role's step function was reached.
private final class CallRecorder {
    var called = false
}

@Suite struct PaperTests {
    // MARK: - §5.1 Terms

    /// §5.1: a server that sees a larger term adopts it, and a candidate or leader that learns its
    /// term is out of date reverts to follower.
    /// etcd: TestFollowerUpdateTermFromMessage, TestCandidateUpdateTermFromMessage, TestLeaderUpdateTermFromMessage (merged: one argument a role).
    @Test(arguments: [StateType.follower, .candidate, .leader])
    func adoptsLargerTermAndStepsDown(_ role: StateType) throws {
        let r = try newTestRaft(id: 1, peers: [1, 2, 3])
        switch role {
        case .follower: r.becomeFollower(term: 1, lead: 2)
        case .candidate: r.becomeCandidate()
        default: r.becomeLeaderNow()
        }
        try r.step(Message(type: .msgApp, to: 1, from: 2, term: 2))
        #expect(r.term == 2)
        #expect(r.state == .follower)
        #expect(r.lead == 2)
    }

    /// §5.1: a request with a stale term is refused; ours ignores it before any role sees it.
    /// etcd: TestRejectStaleTermMessage, TestStepIgnoreOldTermMsg (merged).
    @Test func staleTermRequestNeverReachesTheRole() throws {
        let r = try newTestRaft(id: 1, peers: [1, 2, 3])
        let recorder = CallRecorder()
        r.stepForRole = { _, _ in recorder.called = true }
        try r.loadState(HardState(term: 2))
        try r.step(Message(type: .msgApp, to: 1, from: 2, term: 1))
        #expect(!recorder.called)
        #expect(r.term == 2)
    }

    // MARK: - §5.2 Leader election

    /// §5.2: servers start as followers.
    /// etcd: TestStartAsFollower.
    @Test func serversStartAsFollowers() throws {
        let r = try newTestRaft(id: 1, peers: [1, 2, 3])
        #expect(r.state == .follower)
        #expect(r.term == 0 && r.vote == PeerID.none && r.lead == PeerID.none)
    }

    /// §5.2: a leader sends periodic heartbeats (AppendEntries without entries) to every follower;
    /// ours carry no index, log term or entries, and never a commit index beyond the follower's
    /// known match.
    /// etcd: TestLeaderBcastBeat.
    @Test func leaderHeartbeatsEveryFollower() throws {
        let r = try newTestRaft(id: 1, peers: [1, 2, 3], heartbeat: 1)
        r.becomeLeaderNow()
        for i in 1...10 { r.mustAppendEntry(Entry(index: UInt64(i))) }
        r.tick()
        let got = sortedMessages(r.readMessages())
        #expect(got == [
            Message(type: .msgHeartbeat, to: 2, from: 1, term: 1, commit: 0),
            Message(type: .msgHeartbeat, to: 3, from: 1, term: 1, commit: 0),
        ])
    }

    /// §5.2: a follower that hears nothing for an election timeout starts an election: it moves to
    /// the next term, votes for itself and asks every other server for its vote. A candidate whose
    /// election times out does the same in yet another term.
    /// etcd: TestFollowerStartElection, TestCandidateStartNewElection (merged).
    @Test(arguments: [StateType.follower, .candidate])
    func timeoutStartsAnElection(_ role: StateType) throws {
        let election = 10
        let r = try newTestRaft(id: 1, peers: [1, 2, 3], election: election)
        if role == .follower { r.becomeFollower(term: 1, lead: 2) } else { r.becomeCandidate() }
        // The randomized timeout is below twice the election timeout, so it fires exactly once.
        r.tick(times: 2 * election - 1)
        r.advanceMessagesAfterAppend()
        #expect(r.term == 2)
        #expect(r.state == .candidate)
        #expect(r.vote == 1)
        #expect(r.trk.votes[1] == true)
        #expect(sortedMessages(r.readMessages()) == [
            Message(type: .msgVote, to: 2, from: 1, term: 2),
            Message(type: .msgVote, to: 3, from: 1, term: 2),
        ])
    }

    /// §5.2: a follower that keeps hearing from its leader never starts an election.
    @Test func heartbeatsKeepFollowerFromCampaigning() throws {
        let r = try newTestRaft(id: 1, peers: [1, 2, 3], election: 10)
        r.becomeFollower(term: 1, lead: 2)
        for _ in 0..<100 {
            r.tick()
            try r.step(Message(type: .msgHeartbeat, to: 1, from: 2, term: 1))
        }
        #expect(r.state == .follower && r.term == 1)
        #expect(r.readMessages().allSatisfy { $0.type == .msgHeartbeatResp })
    }

    /// §5.2: one round of RequestVote either wins (votes from a majority), loses (rejections from a
    /// majority: back to follower) or leaves the candidate waiting.
    /// etcd: TestLeaderElectionInOneRoundRPC.
    @Test(arguments: [
        (1, [UInt64: Bool](), StateType.leader),
        (3, [2: true, 3: true], .leader),
        (3, [2: true], .leader),
        (5, [2: true, 3: true, 4: true, 5: true], .leader),
        (5, [2: true, 3: true, 4: true], .leader),
        (5, [2: true, 3: true], .leader),
        (3, [2: false, 3: false], .follower),
        (5, [2: false, 3: false, 4: false, 5: false], .follower),
        (5, [2: true, 3: false, 4: false, 5: false], .follower),
        (3, [:], .candidate),
        (5, [2: true], .candidate),
        (5, [2: false, 3: false], .candidate),
        (5, [:], .candidate),
    ] as [(Int, [UInt64: Bool], StateType)])
    func electionOutcomeOfOneRound(size: Int, votes: [UInt64: Bool], expected: StateType) throws {
        let r = try newTestRaft(id: 1, peers: Array(1...UInt64(size)))
        try r.step(localMessage(.msgHup))
        r.advanceMessagesAfterAppend()
        for (voter, granted) in votes.sorted(by: { $0.key < $1.key }) {
            try r.step(Message(type: .msgVoteResp, to: 1, from: voter, term: r.term, reject: !granted))
        }
        #expect(r.state == expected)
        #expect(r.term == 1)
    }

    /// §5.2: each server votes for at most one candidate in a term, first come first served.
    /// etcd: TestFollowerVote.
    @Test(arguments: [
        (PeerID.none, UInt64(2), false), (PeerID.none, 3, false),
        (2, 2, false), (3, 3, false),
        (2, 3, true), (3, 2, true),
    ] as [(UInt64, UInt64, Bool)])
    func oneVotePerTermFirstComeFirstServed(votedFor: UInt64, candidate: UInt64, rejected: Bool) throws {
        let r = try newTestRaft(id: 1, peers: [1, 2, 3])
        try r.loadState(HardState(term: 1, vote: votedFor))
        try r.step(Message(type: .msgVote, to: 1, from: candidate, term: 1))
        #expect(r.msgsAfterAppend == [
            Message(type: .msgVoteResp, to: candidate, from: 1, term: 1, reject: rejected),
        ])
        #expect(r.vote == (votedFor == PeerID.none ? candidate : votedFor))
    }

    /// §5.2: a candidate that receives AppendEntries from a leader whose term is at least its own
    /// recognizes that leader and returns to follower.
    /// etcd: TestCandidateFallback.
    @Test(arguments: [UInt64(1), 2])
    func candidateFallsBackOnAppendEntries(leaderTerm: UInt64) throws {
        let r = try newTestRaft(id: 1, peers: [1, 2, 3])
        try r.step(localMessage(.msgHup))
        try #require(r.state == .candidate && r.term == 1)
        try r.step(Message(type: .msgApp, to: 1, from: 2, term: leaderTerm))
        #expect(r.state == .follower)
        #expect(r.term == leaderTerm)
        #expect(r.lead == 2)
    }

    /// §5.2: election timeouts are chosen randomly from a fixed interval, here
    /// [electionTimeout, 2 * electionTimeout), for followers and candidates alike.
    /// etcd: TestFollowerElectionTimeoutRandomized, TestCandidateElectionTimeoutRandomized (merged).
    @Test(arguments: [StateType.follower, .candidate])
    func electionTimeoutIsRandomized(_ role: StateType) throws {
        let election = 10
        let r = try newTestRaft(id: 1, peers: [1, 2, 3], election: election)
        var seen = Set<Int>()
        for _ in 0..<(50 * election) {
            if role == .follower { r.becomeFollower(term: r.term + 1, lead: 2) } else { r.becomeCandidate() }
            var ticks = 0
            repeat {
                r.tick()
                ticks += 1
            } while r.readMessages().isEmpty
            seen.insert(ticks)
        }
        #expect(seen == Set(election..<(2 * election)))
    }

    /// §5.2: randomized timeouts mean that in most cases a single server times out first, which
    /// makes split votes rare.
    /// etcd: TestFollowersElectionTimeoutNonconflict, TestCandidatesElectionTimeoutNonconflict (merged).
    @Test(arguments: [StateType.follower, .candidate])
    func fewServersTimeOutTogether(_ role: StateType) throws {
        let ids: [UInt64] = [1, 2, 3, 4, 5]
        let nodes = try ids.map { try newTestRaft(id: $0, peers: ids, election: 10) }
        var conflicts = 0
        let rounds = 1000
        for _ in 0..<rounds {
            for r in nodes {
                if role == .follower { r.becomeFollower(term: r.term + 1, lead: PeerID.none) } else { r.becomeCandidate() }
            }
            var timedOut = 0
            while timedOut == 0 {
                for r in nodes {
                    r.tick()
                    if !r.readMessages().isEmpty { timedOut += 1 }
                }
            }
            if timedOut > 1 { conflicts += 1 }
        }
        #expect(Double(conflicts) / Double(rounds) <= 0.3)
    }

    // MARK: - §5.3 Log replication

    /// §5.3: the leader appends a client's command to its log (unstable until written), then
    /// sends it to every follower in AppendEntries carrying the index and term of the entry just
    /// before it.
    /// etcd: TestLeaderStartReplication.
    @Test func leaderAppendsThenReplicates() throws {
        let s = try testStorage(peers: [1, 2, 3])
        let r = try newTestRaft(id: 1, storage: s)
        r.becomeLeaderNow()
        try commitNoopEntry(r, s)
        let last = r.raftLog.lastIndex()
        try r.step(propMessage("some data"))
        #expect(r.raftLog.lastIndex() == last + 1)
        #expect(r.raftLog.committed == last)
        let appended = [Entry(term: 1, index: last + 1, data: bytes("some data"))]
        #expect(sortedMessages(r.readMessages()) == [
            Message(type: .msgApp, to: 2, from: 1, term: 1, logTerm: 1, index: last, entries: appended, commit: last),
            Message(type: .msgApp, to: 3, from: 1, term: 1, logTerm: 1, index: last, entries: appended, commit: last),
        ])
        #expect(r.raftLog.nextUnstableEnts() == appended)
    }

    /// §5.3: once an entry is replicated on a majority it is committed, handed out for applying,
    /// and the leader tells the followers the new commit index in its next AppendEntries.
    /// etcd: TestLeaderCommitEntry.
    @Test func leaderCommitsReplicatedEntryAndAnnouncesIt() throws {
        let s = try testStorage(peers: [1, 2, 3])
        let r = try newTestRaft(id: 1, storage: s)
        r.becomeLeaderNow()
        try commitNoopEntry(r, s)
        let last = r.raftLog.lastIndex()
        try r.step(propMessage("some data"))
        for m in r.readMessages() { try r.step(acceptAndReply(m)) }
        #expect(r.raftLog.committed == last + 1)
        #expect(r.raftLog.nextCommittedEnts(allowUnstable: true) == [
            Entry(term: 1, index: last + 1, data: bytes("some data")),
        ])
        let announced = sortedMessages(r.readMessages())
        #expect(announced.map(\.to) == [2, 3])
        #expect(announced.allSatisfy { $0.type == .msgApp && $0.commit == last + 1 })
    }

    /// §5.3: an entry is committed once the leader has it on a majority of the servers, itself
    /// included.
    /// etcd: TestLeaderAcknowledgeCommit.
    @Test(arguments: [
        (1, Set<UInt64>(), true),
        (3, [], false), (3, [2], true), (3, [2, 3], true),
        (5, [], false), (5, [2], false), (5, [2, 3], true), (5, [2, 3, 4], true), (5, [2, 3, 4, 5], true),
    ] as [(Int, Set<UInt64>, Bool)])
    func commitNeedsAMajority(size: Int, acceptors: Set<UInt64>, committed: Bool) throws {
        let s = try testStorage(peers: Array(1...UInt64(size)))
        let r = try newTestRaft(id: 1, storage: s)
        r.becomeLeaderNow()
        try commitNoopEntry(r, s)
        let last = r.raftLog.lastIndex()
        try r.step(propMessage("some data"))
        r.advanceMessagesAfterAppend()
        for m in r.msgs where acceptors.contains(m.to) { try r.step(acceptAndReply(m)) }
        #expect((r.raftLog.committed > last) == committed)
    }

    /// §5.3: committing an entry commits every entry before it, including those of earlier
    /// leaders, and they are applied in log order.
    /// etcd: TestLeaderCommitPrecedingEntries.
    @Test(arguments: [
        [Entry](),
        [Entry(term: 2, index: 1)],
        [Entry(term: 1, index: 1), Entry(term: 2, index: 2)],
        [Entry(term: 1, index: 1)],
    ])
    func commitIncludesEarlierLeadersEntries(_ previous: [Entry]) throws {
        let r = try newTestRaft(id: 1, storage: testStorage(peers: [1, 2, 3], entries: previous))
        try r.loadState(HardState(term: 2))
        r.becomeLeaderNow()
        try r.step(propMessage("some data"))
        for m in r.readMessages() { try r.step(acceptAndReply(m)) }
        let n = UInt64(previous.count)
        #expect(r.raftLog.nextCommittedEnts(allowUnstable: true) == previous + [
            Entry(term: 3, index: n + 1),
            Entry(term: 3, index: n + 2, data: bytes("some data")),
        ])
    }

    /// §5.3: a follower that learns an entry is committed applies it (and every one before it)
    /// in log order, and nothing beyond.
    /// etcd: TestFollowerCommitEntry.
    @Test(arguments: [
        ([Entry(term: 1, index: 1, data: bytes("a"))], UInt64(1)),
        ([Entry(term: 1, index: 1, data: bytes("a")), Entry(term: 1, index: 2, data: bytes("b"))], 2),
        ([Entry(term: 1, index: 1, data: bytes("b")), Entry(term: 1, index: 2, data: bytes("a"))], 2),
        ([Entry(term: 1, index: 1, data: bytes("a")), Entry(term: 1, index: 2, data: bytes("b"))], 1),
    ] as [([Entry], UInt64)])
    func followerAppliesWhatIsCommitted(_ sent: [Entry], commit: UInt64) throws {
        let r = try newTestRaft(id: 1, peers: [1, 2, 3])
        r.becomeFollower(term: 1, lead: 2)
        try r.step(Message(type: .msgApp, to: 1, from: 2, term: 1, entries: sent, commit: commit))
        #expect(r.raftLog.committed == commit)
        #expect(r.raftLog.nextCommittedEnts(allowUnstable: true) == Array(sent.prefix(Int(commit))))
    }

    /// §5.3: a follower refuses AppendEntries unless its log holds an entry with the index and
    /// term the leader names as preceding the new ones; a refusal hints where the logs may agree.
    /// etcd: TestFollowerCheckMsgApp.
    @Test(arguments: [
        // Matches a committed entry (or the start of the log): acknowledged at the commit index.
        (UInt64(0), UInt64(0), UInt64(1), false, UInt64(0), UInt64(0)),
        (1, 1, 1, false, 0, 0),
        // Matches an uncommitted entry.
        (2, 2, 2, false, 0, 0),
        // Index held, term differs.
        (1, 2, 2, true, 1, 1),
        // Index beyond the log.
        (3, 3, 3, true, 2, 2),
    ] as [(UInt64, UInt64, UInt64, Bool, UInt64, UInt64)])
    func followerChecksPrecedingEntry(
        logTerm: UInt64, index: UInt64, ackIndex: UInt64, rejected: Bool, hint: UInt64, hintTerm: UInt64
    ) throws {
        let r = try newTestRaft(id: 1, storage: testStorage(peers: [1, 2, 3], entries: logEntries(from: 1, terms: 1, 2)))
        try r.loadState(HardState(commit: 1))
        r.becomeFollower(term: 2, lead: 2)
        try r.step(Message(type: .msgApp, to: 1, from: 2, term: 2, logTerm: logTerm, index: index))
        #expect(r.readMessages() == [
            Message(type: .msgAppResp, to: 2, from: 1, term: 2, logTerm: hintTerm, index: ackIndex,
                    reject: rejected, rejectHint: hint),
        ])
    }

    /// §5.3: an accepted AppendEntries deletes the first conflicting entry and everything after it,
    /// then appends what the follower does not have yet; new entries are unstable until written.
    /// etcd: TestFollowerAppendEntries.
    @Test(arguments: [
        (UInt64(2), UInt64(2), logEntries(from: 3, terms: 3), logEntries(from: 1, terms: 1, 2, 3), logEntries(from: 3, terms: 3)),
        (1, 1, logEntries(from: 2, terms: 3, 4), logEntries(from: 1, terms: 1, 3, 4), logEntries(from: 2, terms: 3, 4)),
        (0, 0, logEntries(from: 1, terms: 1), logEntries(from: 1, terms: 1, 2), []),
        (0, 0, logEntries(from: 1, terms: 3), logEntries(from: 1, terms: 3), logEntries(from: 1, terms: 3)),
    ] as [(UInt64, UInt64, [Entry], [Entry], [Entry])])
    func followerReplacesConflictsAndAppends(
        index: UInt64, logTerm: UInt64, sent: [Entry], log: [Entry], unstable: [Entry]
    ) throws {
        let r = try newTestRaft(id: 1, storage: testStorage(peers: [1, 2, 3], entries: logEntries(from: 1, terms: 1, 2)))
        r.becomeFollower(term: 2, lead: 2)
        try r.step(Message(type: .msgApp, to: 1, from: 2, term: 2, logTerm: logTerm, index: index, entries: sent))
        #expect(r.raftLog.allEntries() == log)
        #expect(r.raftLog.nextUnstableEnts() == unstable)
    }

    /// §5.3, figure 7: whatever the follower's log (missing entries, extra uncommitted entries, or
    /// both), the leader brings it into agreement with its own.
    /// etcd: TestLeaderSyncFollowerLog.
    @Test(arguments: [
        [UInt64](arrayLiteral: 1, 1, 1, 4, 4, 5, 5, 6, 6),
        [1, 1, 1, 4],
        [1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 6],
        [1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 7, 7],
        [1, 1, 1, 4, 4, 4, 4],
        [1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3],
    ])
    func leaderBringsFollowerLogInLine(followerTerms: [UInt64]) throws {
        let term: UInt64 = 8
        let leaderLog = logEntries(from: 1, terms: 1, 1, 1, 4, 4, 5, 5, 6, 6, 6)
        let lead = try newTestRaft(id: 1, storage: testStorage(peers: [1, 2, 3], entries: leaderLog))
        try lead.loadState(HardState(term: term, commit: lead.raftLog.lastIndex()))
        let follower = try newTestRaft(
            id: 2, storage: testStorage(peers: [1, 2, 3], entries: logEntries(from: 1, termList: followerTerms)))
        try follower.loadState(HardState(term: term - 1))
        // The follower's log may be more up to date than the leader's: the third node's vote,
        // given by hand, decides the election.
        let net = try TestNetwork([.raft(lead), .raft(follower), .blackHole])
        net.send(localMessage(.msgHup))
        net.send(Message(type: .msgVoteResp, to: 1, from: 3, term: term + 1))
        net.send(Message(type: .msgProp, to: 1, from: 1, entries: [Entry()]))
        #expect(lead.state == .leader)
        #expect(logSummary(lead.raftLog) == logSummary(follower.raftLog))
    }

    // MARK: - §5.4 Safety

    /// §5.4.1: a vote request names the candidate's last log index and term, and goes to every
    /// other server.
    /// etcd: TestVoteRequest.
    @Test(arguments: [(logEntries(from: 1, terms: 1), 2), (logEntries(from: 1, terms: 1, 2), 3)] as [([Entry], UInt64)])
    func voteRequestCarriesLastEntry(_ log: [Entry], campaignTerm: UInt64) throws {
        let r = try newTestRaft(id: 1, peers: [1, 2, 3])
        try r.step(Message(type: .msgApp, to: 1, from: 2, term: campaignTerm - 1, entries: log))
        _ = r.readMessages()
        for _ in 1..<(2 * r.electionTimeout) { r.tickElection() }
        let requests = sortedMessages(r.readMessages())
        try #require(requests.count == 2)
        for (m, to) in zip(requests, [UInt64(2), 3]) {
            #expect(m.type == .msgVote && m.to == to && m.term == campaignTerm)
            #expect(m.index == log.last?.index && m.logTerm == log.last?.term)
        }
    }

    /// §5.4.1: a voter denies its vote to a candidate whose log is less up to date than its own
    /// (a later last term wins; with equal last terms, the longer log).
    /// etcd: TestVoter.
    @Test(arguments: [
        (logEntries(from: 1, terms: 1), UInt64(1), UInt64(1), false),
        (logEntries(from: 1, terms: 1), 1, 2, false),
        (logEntries(from: 1, terms: 1, 1), 1, 1, true),
        (logEntries(from: 1, terms: 1), 2, 1, false),
        (logEntries(from: 1, terms: 1), 2, 2, false),
        (logEntries(from: 1, terms: 1, 1), 2, 1, false),
        (logEntries(from: 1, terms: 2), 1, 1, true),
        (logEntries(from: 1, terms: 2), 1, 2, true),
        (logEntries(from: 1, terms: 2, 2), 1, 1, true),
        (logEntries(from: 1, terms: 1, 1), 1, 1, true),
    ] as [([Entry], UInt64, UInt64, Bool)])
    func voterDeniesLessUpToDateCandidate(_ log: [Entry], logTerm: UInt64, index: UInt64, rejected: Bool) throws {
        let r = try newTestRaft(id: 1, storage: testStorage(peers: [1, 2], entries: log))
        try r.step(Message(type: .msgVote, to: 1, from: 2, term: 3, logTerm: logTerm, index: index))
        let answers = r.readMessages()
        try #require(answers.count == 1)
        #expect(answers[0].type == .msgVoteResp)
        #expect(answers[0].reject == rejected)
    }

    /// §5.4.2: a leader commits entries of earlier terms only indirectly: counting replicas commits
    /// only an entry of its own term.
    /// etcd: TestLeaderOnlyCommitsLogFromCurrentTerm.
    @Test(arguments: [(1, 0), (2, 0), (3, 3)] as [(UInt64, UInt64)])
    func leaderCountsReplicasOnlyForItsOwnTerm(acknowledged: UInt64, committed: UInt64) throws {
        let r = try newTestRaft(id: 1, storage: testStorage(peers: [1, 2], entries: logEntries(from: 1, terms: 1, 2)))
        try r.loadState(HardState(term: 2))
        r.becomeLeaderNow()
        _ = r.readMessages()
        try r.step(Message(type: .msgProp, to: 1, from: 1, entries: [Entry()]))
        try r.step(Message(type: .msgAppResp, to: 1, from: 2, term: r.term, index: acknowledged))
        r.advanceMessagesAfterAppend()
        #expect(r.raftLog.committed == committed)
    }
}
