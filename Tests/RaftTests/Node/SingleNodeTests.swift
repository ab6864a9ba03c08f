import RaftTesting
import Testing
@testable import Raft

extension NodeTests {
    /// One node driven by hand: the Ready/Advance contract, start and restart, proposals,
    /// stopping and cancellation. After etcd's node_test.go where it applies.
    @Suite struct SingleNode {
        typealias F = NodeFixture

        /// Checks the fields of a Ready the application acts on.
        static func expectReady(_ rd: Ready, hardState: HardState = .empty, entries: [Entry] = [],
                                committed: [Entry] = [], mustSync: Bool,
                                sourceLocation: SourceLocation = #_sourceLocation) {
            #expect(rd.hardState == hardState, sourceLocation: sourceLocation)
            #expect(rd.entries == entries, sourceLocation: sourceLocation)
            #expect(rd.committedEntries == committed, sourceLocation: sourceLocation)
            #expect(rd.mustSync == mustSync, sourceLocation: sourceLocation)
            #expect(rd.messages.isEmpty, sourceLocation: sourceLocation)
            #expect(rd.snapshot.isEmpty, sourceLocation: sourceLocation)
        }

        /// Suspends a consumer of `readies` inside the node, then stops the node: the consumer
        /// gets nil. Proves that no Ready was due (a due one would have been handed out at once).
        static func expectNoReady(_ node: Node, sourceLocation: SourceLocation = #_sourceLocation) async throws {
            let consumer = Task {
                var it = node.readies.makeAsyncIterator()
                return await it.next()
            }
            try await waitUntil("a waiting consumer") { await node.waitingReadyConsumers == 1 }
            await node.stop()
            let rd = await consumer.value
            #expect(rd == nil, "unexpected Ready: \(rd?.describe() ?? "")", sourceLocation: sourceLocation)
        }

        // MARK: Start and restart

        /// etcd: TestNodeStart. The bootstrap entry, the election, then a proposal that is first
        /// appended, then (after advance) committed.
        @Test func startCampaignPropose() async throws {
            let storage = MemoryStorage()
            let node = try Node.start(config: testConfig(id: 1, storage: storage), peers: [Peer(id: 1)])
            let bootstrap = Entry(term: 1, index: 1, type: .entryConfChange,
                                  data: ConfChange(type: .confChangeAddNode, nodeID: 1).marshal())

            var rd = try await F.nextReady(node)
            Self.expectReady(rd, hardState: HardState(term: 1, vote: 0, commit: 1), entries: [bootstrap],
                             committed: [bootstrap], mustSync: true)
            try storage.persist(rd)
            try await node.advance()

            try await node.campaign()
            rd = try await F.handleNextReady(node, storage) // the vote
            #expect(rd.hardState == HardState(term: 2, vote: 1, commit: 1))
            rd = try await F.handleNextReady(node, storage) // leader: the empty entry
            #expect(rd.softState == SoftState(lead: 1, raftState: .leader))
            #expect(rd.entries == [Entry(term: 2, index: 2)])

            try await node.propose(bytes("foo"))
            rd = try await F.handleNextReady(node, storage)
            Self.expectReady(rd, hardState: HardState(term: 2, vote: 1, commit: 2),
                             entries: [Entry(term: 2, index: 3, data: bytes("foo"))],
                             committed: [Entry(term: 2, index: 2)], mustSync: true)
            rd = try await F.handleNextReady(node, storage)
            Self.expectReady(rd, hardState: HardState(term: 2, vote: 1, commit: 3),
                             committed: [Entry(term: 2, index: 3, data: bytes("foo"))], mustSync: false)

            try await Self.expectNoReady(node)
        }

        /// etcd: TestNodeRestart. Only the committed entries are handed out, with no hard state
        /// (nothing changed) and no need to sync.
        @Test func restartFromLog() async throws {
            let entries = [Entry(term: 1, index: 1), Entry(term: 1, index: 2, data: bytes("foo"))]
            let storage = MemoryStorage()
            storage.setHardState(HardState(term: 1, commit: 1))
            try storage.append(entries)
            let node = try Node.restart(config: testConfig(id: 1, storage: storage))

            let rd = try await F.handleNextReady(node, storage)
            Self.expectReady(rd, committed: [entries[0]], mustSync: false)
            try await Self.expectNoReady(node)
        }

        /// etcd: TestNodeRestartFromSnapshot. The membership comes from the snapshot, the entry
        /// after it is handed out to apply.
        @Test func restartFromSnapshot() async throws {
            let storage = MemoryStorage()
            storage.setHardState(HardState(term: 1, commit: 3))
            try storage.applySnapshot(Snapshot(metadata: SnapshotMetadata(
                confState: ConfState(voters: [1, 2]), index: 2, term: 1)))
            let entry = Entry(term: 1, index: 3, data: bytes("foo"))
            try storage.append([entry])
            let node = try Node.restart(config: testConfig(id: 1, storage: storage))

            let rd = try await F.handleNextReady(node, storage)
            Self.expectReady(rd, committed: [entry], mustSync: false)
            #expect(try await node.status().config.voters.incoming.sorted == [1, 2])
            try await Self.expectNoReady(node)
        }

        /// `config.applied` is honoured: entries at or below it are not handed out again.
        @Test func restartSkipsApplied() async throws {
            let storage = MemoryStorage()
            storage.setHardState(HardState(term: 1, commit: 2))
            try storage.append([Entry(term: 1, index: 1), Entry(term: 1, index: 2, data: bytes("foo"))])
            var config = testConfig(id: 1, storage: storage)
            config.applied = 1
            let node = try Node.restart(config: config)

            let rd = try await F.handleNextReady(node, storage)
            #expect(rd.committedEntries == [Entry(term: 1, index: 2, data: bytes("foo"))])
            await node.stop()
        }

        @Test func startRefusesBadInput() throws {
            let storage = MemoryStorage()
            #expect(throws: RaftError.bootstrap(BootstrapError(description: "no peers given; use RestartNode instead"))) {
                try Node.start(config: testConfig(id: 1, storage: storage), peers: [])
            }
            var config = testConfig(id: 1, storage: storage)
            config.heartbeatTick = 0
            let invalid = RaftError.config(ConfigError("heartbeat tick must be greater than 0"))
            #expect(throws: invalid) { try Node.start(config: config, peers: [Peer(id: 1)]) }
            #expect(throws: invalid) { try Node.restart(config: config) }
        }

        // MARK: The Ready/Advance contract

        /// No second Ready before `advance()`, even with new work; the consumer waiting for it
        /// gets it as soon as advance is called.
        /// etcd: TestNodeAdvance.
        @Test func noNextReadyUntilAdvance() async throws {
            let logger = CapturingLogger(level: .info)
            let storage = MemoryStorage()
            let node = try Node.start(config: testConfig(id: 1, storage: storage, logger: logger),
                                      peers: [Peer(id: 1), Peer(id: 2), Peer(id: 3)])
            let first = try await F.nextReady(node)
            try storage.persist(first)

            let consumer = Task { try await F.nextReady(node) }
            try await waitUntil("a waiting consumer") { await node.waitingReadyConsumers == 1 }
            // New work: a leader of a later term makes itself known and expects an answer.
            try await node.step(Message(type: .msgHeartbeat, to: 1, from: 2, term: 5))
            try await node.tick()
            #expect(await node.waitingReadyConsumers == 1)
            #expect(logger.nodeLines == ["raft.node: 1 elected leader 2 at term 5"])

            try await node.advance()
            let rd = try await consumer.value
            #expect(rd.hardState == HardState(term: 5, vote: 0, commit: 3))
            #expect(rd.softState == SoftState(lead: 2, raftState: .follower))
            #expect(rd.messages.map(\.type) == [.msgHeartbeatResp])
            await node.stop()
        }

        /// A snapshot that arrives while the application is applying the outstanding Ready's
        /// committed entries waits for `advance()`: restored earlier, the conf changes still being
        /// applied would land on top of the snapshot's membership (found by raft-sim, seed 17420).
        @Test func snapshotWaitsForTheAppliedReady() async throws {
            let storage = MemoryStorage()
            let node = try Node.start(config: testConfig(id: 1, storage: storage), peers: [Peer(id: 1), Peer(id: 2)])
            let first = try await F.nextReady(node)
            #expect(first.committedEntries.count == 2) // the bootstrap conf changes, being applied
            try storage.persist(first)

            let snap = Snapshot(data: [], metadata: SnapshotMetadata(
                confState: ConfState(voters: [1, 2, 3]), index: 10, term: 3))
            try await node.step(Message(type: .msgSnap, to: 1, from: 2, term: 3, snapshot: snap))
            // Not restored yet: the configuration is still the one being applied.
            #expect(try await node.status().config.voters.description == "(1 2)")
            #expect(try await node.status().hardState.commit == 2)

            for e in first.committedEntries {
                _ = try await node.applyConfChange(ConfChange(unmarshaling: e.data))
            }
            try await node.advance()
            // Now restored: the snapshot's membership, not the old entries applied on top of it.
            let rd = try await F.nextReady(node)
            #expect(rd.snapshot.metadata.index == 10)
            #expect(try await node.status().config.voters.description == "(1 2 3)")
            await node.stop()
        }

        /// The same with async storage writes: a snapshot that arrives while the apply thread
        /// holds committed entries waits for the apply thread's response.
        @Test func snapshotWaitsForTheApplyThread() async throws {
            let storage = MemoryStorage()
            var config = testConfig(id: 1, storage: storage)
            config.asyncStorageWrites = true
            let node = try Node.start(config: config, peers: [Peer(id: 1), Peer(id: 2)])
            let first = try await F.nextReady(node)
            let append = try #require(first.messages.first { $0.to == PeerID.localAppendThread })
            try storage.append(append.entries)
            storage.setHardState(HardState(term: append.term, vote: append.vote, commit: append.commit))
            for r in append.responses { try await node.step(r) }
            let second = try await F.nextReady(node)
            let apply = try #require(second.messages.first { $0.to == PeerID.localApplyThread })
            #expect(apply.entries.count == 2) // the bootstrap conf changes, being applied

            let snap = Snapshot(data: [], metadata: SnapshotMetadata(
                confState: ConfState(voters: [1, 2, 3]), index: 10, term: 3))
            try await node.step(Message(type: .msgSnap, to: 1, from: 2, term: 3, snapshot: snap))
            #expect(try await node.status().config.voters.description == "(1 2)")

            for e in apply.entries {
                _ = try await node.applyConfChange(ConfChange(unmarshaling: e.data))
            }
            for r in apply.responses { try await node.step(r) }
            // Now restored: the snapshot's membership, not the old entries applied on top of it.
            let rd = try await F.nextReady(node)
            let restore = try #require(rd.messages.first { $0.to == PeerID.localAppendThread })
            #expect(restore.snapshot?.metadata.index == 10)
            #expect(try await node.status().config.voters.description == "(1 2 3)")
            await node.stop()
        }

        /// `advance()` with no Ready outstanding does nothing (etcd would block), and advancing
        /// twice is the same as once.
        @Test func advanceWithoutReadyDoesNothing() async throws {
            let storage = MemoryStorage()
            let node = try Node.start(config: testConfig(id: 1, storage: storage), peers: [Peer(id: 1)])
            try await node.advance()
            let rd = try await F.handleNextReady(node, storage)
            #expect(rd.committedEntries.count == 1)
            try await node.advance()
            try await node.advance()
            try await Self.expectNoReady(node)
        }

        /// A consumer that waits is woken by whatever makes a Ready due: here a campaign, then
        /// the advance that lets the node become leader.
        @Test func waitingConsumerWakesOnChange() async throws {
            let storage = MemoryStorage()
            let node = try Node.start(config: testConfig(id: 1, storage: storage), peers: [Peer(id: 1)])
            try await F.handleNextReady(node, storage)

            let consumer = Task { try await F.nextReady(node) }
            try await waitUntil("a waiting consumer") { await node.waitingReadyConsumers == 1 }
            try await node.campaign()
            let vote = try await consumer.value
            try storage.persist(vote)

            let next = Task { try await F.nextReady(node) }
            try await waitUntil("a waiting consumer") { await node.waitingReadyConsumers == 1 }
            try await node.advance()
            #expect(try await next.value.softState == SoftState(lead: 1, raftState: .leader))
            await node.stop()
        }

        /// Two consumers at once: each Ready goes to exactly one of them, first come first served.
        @Test func twoConsumersShareReadies() async throws {
            let storage = MemoryStorage()
            let node = try Node.start(config: testConfig(id: 1, storage: storage), peers: [Peer(id: 1)])
            try await F.handleNextReady(node, storage)

            let a = Task { try await F.nextReady(node) }
            try await waitUntil("consumer a waiting") { await node.waitingReadyConsumers == 1 }
            let b = Task { try await F.nextReady(node) }
            try await waitUntil("consumer b waiting") { await node.waitingReadyConsumers == 2 }

            try await node.campaign()
            let first = try await a.value
            #expect(first.hardState.vote == 1)
            #expect(await node.waitingReadyConsumers == 1) // b still waits: no advance yet
            try storage.persist(first)
            try await node.advance()
            let second = try await b.value
            #expect(second.softState?.raftState == .leader)
            await node.stop()
        }

        /// A sequence ends when the node stops, and stays ended.
        @Test func readiesEndOnStop() async throws {
            let storage = MemoryStorage()
            let node = try Node.start(config: testConfig(id: 1, storage: storage), peers: [Peer(id: 1)])
            let loop = Task {
                var count = 0
                for await rd in node.readies {
                    count += 1
                    try storage.persist(rd)
                    try await node.advance()
                }
                return count
            }
            try await waitUntil("the bootstrap Ready handled") { await node.waitingReadyConsumers == 1 }
            await node.stop()
            #expect(try await loop.value == 1)

            var it = node.readies.makeAsyncIterator()
            #expect(await it.next() == nil)
        }

        // MARK: Proposals

        /// Proposals that waited for a leader reach raft in the order they started waiting: the
        /// call that makes the leader known steps them, oldest first (as etcd's loop takes them
        /// off `propc`), rather than letting the woken callers race back to the lock.
        @Test func waitingProposalsKeepTheirOrder() async throws {
            let storage = MemoryStorage()
            let node = try Node.start(config: testConfig(id: 1, storage: storage), peers: [Peer(id: 1)])
            var proposals: [Task<Void, any Error>] = []
            for (k, name) in ["a", "b", "c", "d"].enumerated() {
                proposals.append(Task { try await node.propose(bytes(name)) })
                try await waitUntil("proposal \(name) waiting") { await node.waitingProposals == k + 1 }
            }
            try await F.handleNextReady(node, storage)
            try await node.campaign()
            var committed: [[UInt8]] = []
            while committed.filter({ !$0.isEmpty }).count < 4 { // a...d (the leader's entry is empty)
                committed += try await F.handleNextReady(node, storage).committedEntries.map(\.data)
            }
            for p in proposals { try await F.withPatience("a proposal") { try await p.value } }
            #expect(committed.filter { !$0.isEmpty }.map { String(decoding: $0, as: UTF8.self) }
                    == ["a", "b", "c", "d"])
            await node.stop()
        }

        /// A proposer and a Ready loop on separate tasks, both taking the node's lock without
        /// suspending most of the time (raft-bench's W2, small): every proposal is committed once,
        /// in order. Under the thread sanitizer this is the test of the lock's fast paths.
        @Test func proposerAndReadyLoopRace() async throws {
            let (node, storage) = try await F.electedSingleNode()
            let n = 2_000
            let loop = Task {
                var data: [[UInt8]] = []
                for await rd in node.readies {
                    try storage.persist(rd)
                    data += rd.committedEntries.filter { !$0.data.isEmpty }.map(\.data)
                    try await node.advance()
                    if data.count == n { break }
                }
                return data
            }
            for k in 0..<n { try await node.propose(Array(String(k).utf8)) }
            let data = try await F.withPatience("every proposal committed") { try await loop.value }
            #expect(data == (0..<n).map { Array(String($0).utf8) })
            await node.stop()
        }

        /// `tryStep` never waits: a proposal while no leader is known comes back (`false`) without
        /// being queued or stepped, a message is stepped at once on the calling thread, a proposal
        /// goes through once a leader is known, and a stopped node throws.
        @Test func tryStepNeverWaits() async throws {
            let storage = MemoryStorage()
            let node = try Node.start(config: testConfig(id: 1, storage: storage), peers: [Peer(id: 1)])
            let early = Message(type: .msgProp, from: 1, entries: [Entry(data: bytes("early"))])
            #expect(try node.tryStep(early) == false)
            #expect(await node.waitingProposals == 0)

            try await F.handleNextReady(node, storage)
            // A heartbeat from a leader at a higher term is stepped now: the node follows it.
            #expect(try node.tryStep(Message(type: .msgHeartbeat, to: 1, from: 2, term: 5)) == true)
            #expect(try await node.status().softState.lead == 2)

            try await node.campaign()
            var lead: UInt64 = 0
            while lead != 1 { lead = try await F.handleNextReady(node, storage).softState?.lead ?? lead }
            let late = Message(type: .msgProp, from: 1, entries: [Entry(data: bytes("late"))])
            #expect(try node.tryStep(late) == true)
            var committed: [[UInt8]] = []
            while !committed.contains(bytes("late")) {
                committed += try await F.handleNextReady(node, storage).committedEntries.map(\.data)
            }
            #expect(!committed.contains(bytes("early")))

            await node.stop()
            #expect(throws: RaftError.stopped) { try node.tryStep(late) }
        }

        /// etcd: TestBlockProposal. A proposal waits while no leader is known and goes through
        /// once one is.
        @Test func proposalWaitsForLeader() async throws {
            let logger = CapturingLogger(level: .info)
            let storage = MemoryStorage()
            let node = try Node.start(config: testConfig(id: 1, storage: storage, logger: logger), peers: [Peer(id: 1)])
            let proposal = Task { try await node.propose(bytes("somedata")) }
            try await waitUntil("a waiting proposal") { await node.waitingProposals == 1 }

            try await F.handleNextReady(node, storage)
            try await node.campaign()
            try await F.handleNextReady(node, storage) // the vote: leader on advance
            try await F.withPatience("the proposal") { try await proposal.value }
            #expect(await node.waitingProposals == 0)

            var committed: [Entry] = []
            while !committed.contains(where: { $0.data == bytes("somedata") }) {
                committed += try await F.handleNextReady(node, storage).committedEntries
            }
            #expect(logger.nodeLines == ["raft.node: 1 elected leader 1 at term 2"])
            await node.stop()
        }

        /// etcd: TestNodeProposeWaitDropped, with a real reason to drop: the uncommitted-size
        /// limit (the first proposal is always let in, a second one over the limit is not).
        @Test func proposalDropped() async throws {
            let (node, _) = try await F.electedSingleNode { $0.maxUncommittedEntriesSize = 10 }
            try await node.propose(Array(repeating: 1, count: 100))
            await #expect(throws: RaftError.proposalDropped) {
                try await node.propose(Array(repeating: 2, count: 100))
            }
            await node.stop()
        }

        /// etcd: TestNodeProposeConfig and TestNodeProposeAddLearnerNode. A conf change goes
        /// through like a proposal, and applying it returns the new membership.
        @Test func confChangeAddsLearner() async throws {
            let (node, storage) = try await F.electedSingleNode()
            try await node.proposeConfChange(ConfChange(type: .confChangeAddLearnerNode, nodeID: 2))
            var committed: [Entry] = []
            while !committed.contains(where: { $0.type == .entryConfChange }) {
                committed += try await F.handleNextReady(node, storage).committedEntries
            }
            guard let e = committed.first(where: { $0.type == .entryConfChange }) else { return }
            let cs = try await node.applyConfChange(ConfChange(unmarshaling: e.data))
            #expect(cs.voters == [1])
            #expect(cs.learners == [2])

            // Leaving a joint configuration that is not joint is refused, not a crash.
            await #expect(throws: RaftError.confChange(.leaveNonJoint)) {
                try await node.applyConfChange(ConfChangeV2())
            }
            await node.stop()
        }

        /// A single-node leader answers a read request after confirming its commit index.
        @Test func readIndex() async throws {
            let (node, storage) = try await F.electedSingleNode()
            try await node.readIndex(bytes("ctx"))
            let rd = try await F.handleNextReady(node, storage)
            #expect(rd.readStates == [ReadState(index: 2, requestCtx: bytes("ctx"))])
            await node.stop()
        }

        /// Ticks alone make a lone follower campaign and win.
        @Test func ticksElect() async throws {
            let cluster = try LocalCluster.start(ids: [1])
            // Ticks that come before the bootstrap entry is applied do not start an election (raft
            // refuses to campaign with a conf change unapplied), so keep ticking.
            #expect(try await cluster.waitForLeader(ticking: true) == 1)
            await cluster.stop()
        }

        // MARK: Messages

        /// etcd: TestNodeStep's filter. Local-only message types from the network are ignored
        /// (a campaign cannot be triggered from outside), and so are responses from strangers.
        @Test func stepIgnoresLocalMessagesFromNetwork() async throws {
            let storage = MemoryStorage()
            let node = try Node.start(config: testConfig(id: 1, storage: storage), peers: [Peer(id: 1)])
            try await F.handleNextReady(node, storage)
            for type in MessageType.allCases where type.isLocal {
                try await node.step(Message(type: type, to: 1, from: 2))
            }
            try await node.step(Message(type: .msgAppResp, to: 1, from: 9, term: 1, index: 1))
            #expect(try await node.status().softState == SoftState())
            try await Self.expectNoReady(node)
        }

        // MARK: Async storage writes

        /// With async storage writes, the storage work arrives as messages, their responses are
        /// stepped back, and no `advance()` is needed (calling it only logs an error).
        /// After etcd's TestCommitPaginationWithAsyncStorageWrites.
        /// etcd: TestCommitPaginationWithAsyncStorageWrites.
        @Test func asyncStorageWrites() async throws {
            let logger = CapturingLogger(level: .info)
            let storage = MemoryStorage()
            var config = testConfig(id: 1, storage: storage, logger: logger)
            config.asyncStorageWrites = true
            let node = try Node.start(config: config, peers: [Peer(id: 1)])

            var applied: [Entry] = []
            func handle(_ rd: Ready) async throws {
                for m in rd.messages {
                    switch m.type {
                    case .msgStorageAppend:
                        try storage.append(m.entries)
                        if m.term != 0 { storage.setHardState(HardState(term: m.term, vote: m.vote, commit: m.commit)) }
                    case .msgStorageApply:
                        applied += m.entries
                    default:
                        Issue.record("unexpected message \(m.type) in a single-node cluster")
                    }
                    for r in m.responses { try await node.step(r) }
                }
            }

            try await handle(F.nextReady(node)) // no advance: the next Ready comes anyway
            try await handle(F.nextReady(node))
            #expect(applied.map(\.index) == [1])

            try await node.campaign()
            while !applied.contains(where: { $0.index == 2 }) { try await handle(F.nextReady(node)) }
            try await node.propose(bytes("x"))
            while !applied.contains(where: { $0.data == bytes("x") }) { try await handle(F.nextReady(node)) }

            try await node.advance()
            #expect(logger.messages.contains("Advance must not be called when using AsyncStorageWrites"))
            await node.stop()
        }

        // MARK: Stop

        /// etcd: TestNodeStop and TestNodeStepUnblock. Waiting calls end with `stopped`, every
        /// later call throws `stopped` (Status included, where etcd returns an empty status),
        /// and stopping twice is harmless.
        @Test func stopEndsWaitingCallsAndRefusesLaterOnes() async throws {
            let storage = MemoryStorage()
            let node = try Node.start(config: testConfig(id: 1, storage: storage), peers: [Peer(id: 1)])
            #expect(try await node.status().id == 1)

            let proposal = Task { try await node.propose(bytes("a")) }
            let forwarded = Task { try await node.step(Message(type: .msgProp, from: 2, entries: [Entry(data: bytes("b"))])) }
            let confChange = Task { try await node.proposeConfChange(ConfChange(nodeID: 2)) }
            try await waitUntil("three waiting proposals") { await node.waitingProposals == 3 }
            let consumer = Task { // takes the bootstrap Ready, then waits for advance
                var count = 0
                for await _ in node.readies { count += 1 }
                return count
            }
            try await waitUntil("a waiting consumer") { await node.waitingReadyConsumers == 1 }

            await node.stop()
            await #expect(throws: RaftError.stopped) { try await proposal.value }
            await #expect(throws: RaftError.stopped) { try await forwarded.value }
            await #expect(throws: RaftError.stopped) { try await confChange.value }
            #expect(await consumer.value == 1)

            await #expect(throws: RaftError.stopped) { try await node.tick() }
            await #expect(throws: RaftError.stopped) { try await node.campaign() }
            await #expect(throws: RaftError.stopped) { try await node.propose(bytes("c")) }
            await #expect(throws: RaftError.stopped) { try await node.proposeConfChange(ConfChange(nodeID: 2)) }
            await #expect(throws: RaftError.stopped) { try await node.step(Message(type: .msgHeartbeat, to: 1, from: 2)) }
            await #expect(throws: RaftError.stopped) { try await node.readIndex(bytes("r")) }
            await #expect(throws: RaftError.stopped) { try await node.applyConfChange(ConfChange(nodeID: 2)) }
            await #expect(throws: RaftError.stopped) { try await node.transferLeadership(lead: 1, transferee: 2) }
            await #expect(throws: RaftError.stopped) { try await node.forgetLeader() }
            await #expect(throws: RaftError.stopped) { try await node.status() }
            await #expect(throws: RaftError.stopped) { try await node.reportUnreachable(2) }
            await #expect(throws: RaftError.stopped) { try await node.reportSnapshot(2, status: .failure) }
            await #expect(throws: RaftError.stopped) { try await node.advance() }
            await node.stop()
        }

        // MARK: Cancellation

        /// A proposal waiting for a leader ends with `RaftError.cancelled` when its task is
        /// cancelled (etcd's ctx.Done()), and leaves the node working.
        @Test func cancelWaitingProposal() async throws {
            let storage = MemoryStorage()
            let node = try Node.start(config: testConfig(id: 1, storage: storage), peers: [Peer(id: 1)])
            let proposal = Task { try await node.propose(bytes("cancelled")) }
            let conf = Task { try await node.proposeConfChange(ConfChange(nodeID: 2)) }
            let kept = Task { try await node.propose(bytes("kept")) }
            try await waitUntil("three waiting proposals") { await node.waitingProposals == 3 }

            proposal.cancel()
            conf.cancel()
            await #expect(throws: RaftError.cancelled) { try await proposal.value }
            await #expect(throws: RaftError.cancelled) { try await conf.value }
            try await waitUntil("the cancelled waiters gone") { await node.waitingProposals == 1 }

            try await F.handleNextReady(node, storage)
            try await node.campaign()
            try await F.handleNextReady(node, storage)
            try await F.withPatience("the kept proposal") { try await kept.value }
            var data: [[UInt8]] = []
            while !data.contains(bytes("kept")) {
                data += try await F.handleNextReady(node, storage).committedEntries.map(\.data)
            }
            #expect(!data.contains(bytes("cancelled")))
            await node.stop()
        }

        /// A task cancelled before it proposes does not wait at all.
        @Test func proposeFromCancelledTask() async throws {
            let storage = MemoryStorage()
            let node = try Node.start(config: testConfig(id: 1, storage: storage), peers: [Peer(id: 1)])
            let proposal = Task {
                withUnsafeCurrentTask { $0?.cancel() }
                try await node.propose(bytes("x"))
            }
            await #expect(throws: RaftError.cancelled) { try await proposal.value }
            #expect(await node.waitingProposals == 0)
            await node.stop()
        }

        /// A consumer of `readies` cancelled while it waits sees the sequence end; no Ready is
        /// lost: the next consumer gets it.
        @Test func cancelWaitingConsumer() async throws {
            let storage = MemoryStorage()
            let node = try Node.start(config: testConfig(id: 1, storage: storage), peers: [Peer(id: 1)])
            try await F.handleNextReady(node, storage)

            let consumer = Task {
                var seen = 0
                for await _ in node.readies { seen += 1 }
                return seen
            }
            try await waitUntil("a waiting consumer") { await node.waitingReadyConsumers == 1 }
            consumer.cancel()
            #expect(await consumer.value == 0)
            #expect(await node.waitingReadyConsumers == 0)

            try await node.campaign()
            let rd = try await F.nextReady(node)
            #expect(rd.hardState == HardState(term: 2, vote: 1, commit: 1))
            await node.stop()
        }
    }
}
