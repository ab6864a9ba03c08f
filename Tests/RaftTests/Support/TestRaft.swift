import Testing
@testable import Raft

// Builders and drivers for tests of the state machine (`RaftStateMachine`) and `RawNode`: the
// Swift counterparts of the helpers etcd's raft tests share (`newTestRaft`, `readMessages`,
// `nextEnts`...), written for this package.

// `SeededRandomNumberGenerator` (SplitMix64, in Sources/RaftSupport) seeds every random choice here:
// election timeouts, dropped messages, fuzzed inputs; the same seed replays exactly.

/// Entries at consecutive indexes starting at `index`, one per term in `terms`, without payload.
func logEntries(from index: UInt64, terms: UInt64...) -> [Entry] {
    logEntries(from: index, termList: terms)
}

/// Entries at consecutive indexes starting at `index`, one per term in `termList`.
func logEntries(from index: UInt64, termList: [UInt64]) -> [Entry] {
    termList.enumerated().map { k, term in Entry(term: term, index: index + UInt64(k)) }
}

/// `bytes("abc")`: the UTF-8 bytes of a string, for payloads and contexts.
func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

/// A fresh storage whose (index 0) snapshot carries the membership, then optionally a log and a
/// hard state, the way an application that bootstrapped the membership out of band starts.
func testStorage(
    peers: [UInt64], learners: [UInt64] = [], entries: [Entry] = [], hardState: HardState? = nil
) throws -> MemoryStorage {
    let storage = MemoryStorage()
    try storage.applySnapshot(Snapshot(metadata: SnapshotMetadata(
        confState: ConfState(voters: peers, learners: learners))))
    try storage.append(entries)
    if let hardState { storage.setHardState(hardState) }
    return storage
}

/// The configuration the tests use unless they say otherwise (etcd's `newTestConfig`): no message
/// size limit, 256 inflight appends, silent logging unless a logger is given, and a generator seeded
/// from the node id so that every run draws the same election timeouts. The one test config builder.
func testConfig(id: UInt64, election: Int = 10, heartbeat: Int = 1, storage: any Storage,
                logger: (any Logger)? = DiscardLogger()) -> Config {
    var config = Config(id: id, electionTick: election, heartbeatTick: heartbeat, storage: storage)
    config.maxSizePerMsg = noLimit
    config.maxInflightMsgs = 256
    config.logger = logger
    config.randomNumberGenerator = SeededRandomNumberGenerator(seed: 0x5EED_0000 &+ id)
    return config
}

/// A state machine for node `id` as a follower at term 0. Without `storage`, it gets a fresh one
/// whose membership is `peers` (voters) and `learners`; with `storage`, `peers` and `learners`
/// are ignored and the storage's own membership applies.
func newTestRaft(
    id: UInt64, peers: [UInt64] = [], learners: [UInt64] = [], election: Int = 10, heartbeat: Int = 1,
    storage: MemoryStorage? = nil, configure: ((inout Config) -> Void)? = nil
) throws -> RaftStateMachine {
    let storage = try storage ?? testStorage(peers: peers, learners: learners)
    var config = testConfig(id: id, election: election, heartbeat: heartbeat, storage: storage)
    configure?(&config)
    return try RaftStateMachine(config: config)
}

/// A RawNode for node `id` over `storage` with the test configuration.
func newTestRawNode(
    id: UInt64, election: Int = 10, heartbeat: Int = 1, storage: MemoryStorage,
    configure: ((inout Config) -> Void)? = nil
) throws -> RawNode {
    var config = testConfig(id: id, election: election, heartbeat: heartbeat, storage: storage)
    configure?(&config)
    return try RawNode(config: config)
}

/// Turns on PreVote, for `configure:` parameters.
func preVote(_ config: inout Config) { config.preVote = true }

/// `preVote` when `on`, no change otherwise.
func preVoteIf(_ on: Bool) -> ((inout Config) -> Void)? {
    on ? { (config: inout Config) in config.preVote = true } : nil
}

extension RaftStateMachine {
    /// Takes the messages waiting for durability, as a Ready would hand them out.
    func takeMessagesAfterAppend() -> [Message] {
        let taken = msgsAfterAppend
        msgsAfterAppend = []
        return taken
    }

    /// Steps the self-addressed messages (the node's own vote, a leader's acknowledgement of its
    /// own entries) and queues the others for sending, as the application does once the state
    /// they wait for is persisted. Returns the errors of the steps.
    @discardableResult
    func stepOrSend(_ messages: [Message]) -> [RaftError] {
        var errors: [RaftError] = []
        for m in messages {
            if m.to == id {
                do { try step(m) } catch { errors.append(error) }
            } else {
                msgs.append(m)
            }
        }
        return errors
    }

    /// Pretends everything unstable was persisted, repeatedly, until no message waits for it.
    func advanceMessagesAfterAppend() {
        while true {
            let taken = takeMessagesAfterAppend()
            if taken.isEmpty { return }
            stepOrSend(taken)
        }
    }

    /// Everything the node would send now, as if its state were persisted first: `msgs` plus the
    /// durable-state responses to others; the responses to itself are stepped.
    func readMessages() -> [Message] {
        advanceMessagesAfterAppend()
        let out = msgs
        msgs = []
        return out
    }

    /// Plays the application for one round: persists the unstable entries into `storage`, marks
    /// them stable, delivers the responses that waited for them, and returns the committed
    /// entries not applied yet, marking them applied.
    @discardableResult
    func nextEnts(_ storage: MemoryStorage) throws -> [Entry] {
        try storage.append(raftLog.nextUnstableEnts())
        raftLog.stableTo(raftLog.lastEntryID())
        advanceMessagesAfterAppend()
        let committed = raftLog.nextCommittedEnts(allowUnstable: true)
        try raftLog.appliedTo(raftLog.committed, size: 0)
        return committed
    }

    /// Appends entries as the leader does for a proposal; the test fails if they are refused.
    func mustAppendEntry(_ entries: Entry..., sourceLocation: SourceLocation = #_sourceLocation) {
        let accepted = appendEntry(entries)
        #expect(accepted, "entries unexpectedly dropped", sourceLocation: sourceLocation)
    }

    /// The storage this node reads its log from, when it is a `MemoryStorage` (as in every test).
    var memoryStorage: MemoryStorage {
        guard let s = raftLog.storage as? MemoryStorage else { preconditionFailure("not a MemoryStorage") }
        return s
    }

    /// Makes this node a leader at the next term, the way etcd's tests do: candidate, then leader.
    func becomeLeaderNow() {
        becomeCandidate()
        becomeLeader()
    }

    /// Replaces the randomized election timeout until the next role change.
    func setRandomizedElectionTimeout(_ ticks: Int) { randomizedElectionTimeout = ticks }

    /// Ticks `n` times.
    func tick(times n: Int) {
        for _ in 0..<n { tick() }
    }
}

/// The proposal of one entry carrying `data` that node `node` steps for a local client.
func propMessage(_ data: String = "somedata", node: UInt64 = 1) -> Message {
    Message(type: .msgProp, to: node, from: node, entries: [Entry(data: bytes(data))])
}

/// A local message of `type` addressed from `node` to itself (MsgHup, MsgBeat...).
func localMessage(_ type: MessageType, node: UInt64 = 1) -> Message {
    Message(type: type, to: node, from: node)
}

/// `r.readMessages()`: what `r` would send now, its own durable-state responses stepped.
func readMessages(_ r: RaftStateMachine) -> [Message] { r.readMessages() }

/// `r.nextEnts(storage)`: persist, deliver the responses that waited, apply what is committed.
@discardableResult
func nextEnts(_ r: RaftStateMachine, _ storage: MemoryStorage) throws -> [Entry] { try r.nextEnts(storage) }

/// Messages in a deterministic order: by recipient, then type, then index.
func sortedMessages(_ messages: [Message]) -> [Message] {
    messages.sorted { a, b in
        (a.to, a.type.rawValue, a.index, a.term) < (b.to, b.type.rawValue, b.index, b.term)
    }
}

/// The answer a follower gives when it accepts an append: acknowledges its last entry.
func acceptAndReply(_ m: Message) -> Message {
    Message(type: .msgAppResp, to: m.from, from: m.to, term: m.term, index: m.index + UInt64(m.entries.count))
}

/// Commits the new leader's empty entry by acknowledging it from every follower, and persists
/// and applies it, so that the test starts from a clean leader.
func commitNoopEntry(_ r: RaftStateMachine, _ storage: MemoryStorage) throws {
    try #require(r.state == .leader, "only a leader has a noop entry to commit")
    r.bcastAppend()
    for m in r.readMessages() {
        try #require(m.type == .msgApp && m.entries.count == 1 && m.entries[0].data.isEmpty)
        try r.step(acceptAndReply(m))
    }
    _ = r.readMessages()
    try storage.append(r.raftLog.nextUnstableEnts())
    try r.raftLog.appliedTo(r.raftLog.committed, size: 0)
    r.raftLog.stableTo(r.raftLog.lastEntryID())
}

/// The log as a list of (index, term, payload) for comparing logs across nodes.
func logSummary(_ log: RaftLog) -> [String] {
    var out = ["committed \(log.committed)"]
    for e in log.allEntries() { out.append("\(e.index)/\(e.term) \(e.type) \(e.data)") }
    return out
}

/// The conf change entry for `cc`, as a proposal carries it.
func confChangeEntry(_ cc: any ConfChangeI) -> Entry {
    let (type, data) = marshalConfChange(cc)
    return Entry(type: type, data: data)
}
