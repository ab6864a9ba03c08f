#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
@testable import Raft

// Robustness against hostile or corrupt input. Nodes in every role receive thousands of random
// messages: every message type, terms around their own, indexes and commit indexes beyond their
// log, entries with gaps or going backwards, snapshots with odd or invalid memberships, unknown
// senders. Most go through `RawNode.step` (the network's entry point), some straight into the
// state machine. Between messages the node is ticked and its Readies handled like an application
// would. Nothing may stop the process (where etcd panics, we must refuse with an error or ignore
// the message), and after every message the invariants must hold.
//
// Out of scope: the local storage responses (MsgStorageAppendResp, MsgStorageApplyResp) forged as
// if from the local storage threads. They are the application's own statements that writes are
// durable; raft cannot check them against storage, in etcd or here.
//
// Set HOSTILE_TRACE=1 to print each message before it is stepped (to find what stopped a run).

/// The roles the fuzzed node starts in.
enum HostileRole: CaseIterable, Sendable, CustomTestStringConvertible {
    case follower, preCandidate, candidate, leader, learner
    var testDescription: String { "\(self)" }
}

/// Makes random messages aimed at node `id`, shaped after the node's current state so that many
/// land close to the edge (a term off by one, an index just past the log).
struct HostileInput {
    var rng: SeededRandomNumberGenerator

    mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &rng) < p }
    mutating func pick<T>(_ options: [T]) -> T { options[Int.random(in: 0..<options.count, using: &rng)] }
    mutating func small(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &rng) }

    /// An index near `around`, sometimes 0 or enormous.
    mutating func index(around: UInt64) -> UInt64 {
        if chance(0.05) { return pick([0, UInt64.max, UInt64.max - 1, UInt64(1) << 40]) }
        let delta = small(-4...6)
        return delta < 0 ? around - min(around, UInt64(-delta)) : around + UInt64(delta)
    }

    /// A term within 3 of `current`, sometimes 0.
    mutating func term(around current: UInt64) -> UInt64 {
        if chance(0.08) { return 0 }
        let delta = small(-3...3)
        return delta < 0 ? current - min(current, UInt64(-delta)) : current + UInt64(delta)
    }

    mutating func bytes(_ maxCount: Int) -> [UInt8] {
        (0..<small(0...maxCount)).map { _ in UInt8.random(in: 0...255, using: &rng) }
    }

    mutating func confState(for id: UInt64) -> ConfState {
        switch small(0...7) {
        case 0: return ConfState(voters: [1, 2, 3])
        case 1: return ConfState(voters: [1, 2, 3], learners: [4])
        case 2: return ConfState(voters: [5, 6, 7])  // without this node
        case 3: return ConfState(voters: [1, 2], learners: [2])  // voter and learner at once
        case 4: return ConfState(voters: [2, 3, 4], votersOutgoing: [1, 2, 3], learnersNext: [9])  // invalid joint
        case 5: return ConfState(voters: [id, id, 2])  // duplicate
        case 6: return ConfState(voters: [1, 2, 3], autoLeave: true)  // auto-leave without joint
        default: return ConfState(voters: [2, 3, 4], votersOutgoing: [1, 2, 3], learnersNext: [1], autoLeave: true)
        }
    }

    mutating func confChangeData() -> (EntryType, [UInt8]) {
        let type = pick(ConfChangeType.allCases)
        let node = UInt64(small(0...6))
        switch small(0...3) {
        case 0: return (.entryConfChange, ConfChange(type: type, nodeID: node).marshal())
        case 1:
            let changes = (0..<small(0...3)).map { _ in ConfChangeSingle(type: pick(ConfChangeType.allCases), nodeID: UInt64(small(0...6))) }
            return (.entryConfChangeV2, ConfChangeV2(transition: pick(ConfChangeTransition.allCases), changes: changes).marshal())
        default: return (pick([.entryConfChange, .entryConfChangeV2]), bytes(6))
        }
    }

    /// Entries after `index`: usually contiguous, sometimes with a gap, going backwards, or
    /// starting at 0.
    mutating func entries(after index: UInt64, term: UInt64) -> [Entry] {
        let count = small(0...4)
        var out: [Entry] = []
        var next = index &+ 1
        var t = term
        for _ in 0..<count {
            if chance(0.5) { t = max(t, 1) } else { t = self.term(around: term) }
            var e = Entry(term: t, index: next, data: bytes(3))
            if chance(0.1) { (e.type, e.data) = confChangeData() }
            out.append(e)
            switch small(0...19) {
            case 0: next &+= 2  // gap
            case 1: next &-= 1  // backwards
            case 2: next = 0
            default: next &+= 1
            }
        }
        return out
    }

    mutating func message(to r: RaftStateMachine) -> Message {
        let last = r.raftLog.lastIndex()
        let type = pick(MessageType.allCases)
        var m = Message(type: type, to: chance(0.95) ? r.id : pick([0, 2, 7]))
        m.from = pick([1, 2, 3, 4, 1, 2, 3, 0, 5, 99, PeerID.localAppendThread])
        m.term = term(around: r.term)
        m.index = index(around: chance(0.5) ? last : r.raftLog.committed)
        m.logTerm = term(around: r.raftLog.zeroTermOnOutOfBounds(m.index))
        m.commit = index(around: chance(0.5) ? last : r.raftLog.committed)
        if chance(0.6) { m.entries = entries(after: m.index, term: m.term) }
        if type == .msgProp && chance(0.1) { m.entries = [] }
        if type == .msgReadIndex && chance(0.5) { m.entries = [Entry(data: bytes(4))] }
        if type == .msgSnap || chance(0.05) {
            let snapIndex = chance(0.1) ? UInt64.max : index(around: last + 3)
            m.snapshot = Snapshot(data: bytes(3), metadata: SnapshotMetadata(
                confState: confState(for: r.id), index: snapIndex, term: term(around: r.term)))
        }
        m.reject = chance(0.3)
        m.rejectHint = index(around: last)
        m.vote = UInt64(small(0...4))
        m.context = chance(0.1) ? Array("CampaignTransfer".utf8) : bytes(2)
        return m
    }
}

/// A node over a storage holding a short log, put into `role`.
private func hostileNode(_ role: HostileRole, preVote: Bool, checkQuorum: Bool) throws -> (RawNode, MemoryStorage) {
    let id: UInt64 = role == .learner ? 4 : 1
    let storage = try testStorage(peers: [1, 2, 3], learners: [4], entries: logEntries(from: 1, terms: 1, 1, 2, 2, 3),
                                  hardState: HardState(term: 3, commit: 2))
    let rn = try newTestRawNode(id: id, storage: storage) {
        $0.preVote = preVote || role == .preCandidate
        $0.checkQuorum = checkQuorum
        $0.maxSizePerMsg = 64
        $0.maxInflightMsgs = 4
    }
    switch role {
    case .follower, .learner:
        rn.raft.becomeFollower(term: 3, lead: 2)
    case .preCandidate:
        try rn.campaign()
    case .candidate:
        rn.raft.preVote = false
        try rn.campaign()
    case .leader:
        rn.raft.preVote = false
        try rn.campaign()
        let rd = rn.ready()
        storage.setHardState(rd.hardState)
        rn.advance(rd)
        for voter: UInt64 in [2, 3] {
            try rn.step(Message(type: .msgVoteResp, to: 1, from: voter, term: rn.raft.term))
        }
    }
    try #require(rn.raft.state == (role == .learner ? .follower : StateType(role)))
    return (rn, storage)
}

private extension StateType {
    init(_ role: HostileRole) {
        switch role {
        case .follower, .learner: self = .follower
        case .preCandidate: self = .preCandidate
        case .candidate: self = .candidate
        case .leader: self = .leader
        }
    }
}

/// Handles one Ready as an application does: persist, apply (including conf changes, which may
/// be refused), advance; now and then take a snapshot and compact the log.
private func handleReady(_ rn: RawNode, _ storage: MemoryStorage, _ input: inout HostileInput) throws {
    let rd = rn.ready()
    if !rd.snapshot.isEmpty { try storage.applySnapshot(rd.snapshot) }
    try storage.append(rd.entries)
    if !rd.hardState.isEmpty { storage.setHardState(rd.hardState) }
    for e in rd.committedEntries {
        if let cc = try? decodeConfChange(e) { _ = try? rn.applyConfChange(cc) }
    }
    rn.advance(rd)
    let applied = rn.basicStatus().applied
    if input.chance(0.1), applied > storage.firstIndex() {
        _ = try storage.createSnapshot(applied, confState: rn.raft.trk.confState(), data: [])
        try storage.compact(applied)
    }
}

private let traceEnabled = getenv("HOSTILE_TRACE") != nil

@Suite struct HostileMessageTests {
    @Test(arguments: HostileRole.allCases,
          [(preVote: false, checkQuorum: false), (preVote: true, checkQuorum: true)] as [(preVote: Bool, checkQuorum: Bool)])
    func randomMessagesNeverBreakANode(_ role: HostileRole, options: (preVote: Bool, checkQuorum: Bool)) throws {
        var seed: UInt64 = 0xBAD5EED
        for c in "\(role)\(options)".utf8 { seed = seed &* 31 &+ UInt64(c) }
        var input = HostileInput(rng: SeededRandomNumberGenerator(seed: seed))
        let (rn, storage) = try hostileNode(role, preVote: options.preVote, checkQuorum: options.checkQuorum)
        var history = NodeHistory()
        #expect(history.check(rn.raft).isEmpty)
        var refused = 0
        let count = 3000
        for n in 0..<count {
            let m = input.message(to: rn.raft)
            let direct = input.chance(0.15)
            if traceEnabled { print("hostile \(role) #\(n) \(direct ? "raft" : "rawnode"): \(m.describe())") }
            do {
                if direct {
                    // Straight into the state machine, past RawNode's checks; not the storage
                    // responses (see the file comment).
                    if m.type != .msgStorageAppendResp && m.type != .msgStorageApplyResp { try rn.raft.step(m) }
                } else {
                    try rn.step(m)
                }
            } catch {
                refused += 1
            }
            var problems = history.check(rn.raft)
            if input.chance(0.2) { rn.tick() }
            if input.chance(0.25) && rn.hasReady() { try handleReady(rn, storage, &input) }
            problems += history.check(rn.raft)
            if !problems.isEmpty {
                Issue.record("after message #\(n) \(m.describe()): \(problems.joined(separator: "; "))")
                return
            }
        }
        // Plenty of messages must have been refused, and plenty accepted.
        #expect(refused > count / 20)
        #expect(refused < count)
    }

    /// Regression: a term-less MsgApp, heartbeat or snapshot reaching a (pre-)candidate used to
    /// move its term back to 0 (etcd follows the message's term); it now follows at its own term.
    @Test(arguments: [MessageType.msgApp, .msgHeartbeat, .msgSnap], [false, true])
    func termlessLeaderMessageNeverLowersTheTerm(_ type: MessageType, preVoteOn: Bool) throws {
        let r = try newTestRaft(id: 1, peers: [1, 2, 3]) { $0.preVote = preVoteOn }
        r.becomeFollower(term: 5, lead: PeerID.none)
        try r.step(localMessage(.msgHup))
        r.advanceMessagesAfterAppend()
        let term = r.term
        #expect(term >= 5)
        try? r.step(Message(type: type, to: 1, from: 2, term: 0))
        #expect(r.term == term)
        #expect(r.state == .follower)
        #expect(preVoteOn || r.vote == 1)
    }

    /// A MsgApp whose entries are not a piece of a log (a gap, a term going down) is refused before
    /// anything is appended: `LogSlice.valid()` at the door.
    @Test(arguments: [
        ("gap", [Entry(term: 2, index: 1), Entry(term: 2, index: 3)]),
        ("term going down", [Entry(term: 2, index: 1), Entry(term: 1, index: 2)]),
        ("term going down later", [Entry(term: 1, index: 1), Entry(term: 2, index: 2), Entry(term: 1, index: 3)]),
    ])
    func msgAppThatIsNoLogSliceIsRefused(_ what: String, _ entries: [Entry]) throws {
        let r = try newTestRaft(id: 1, peers: [1, 2])
        r.becomeFollower(term: 2, lead: 2)
        let before = r.raftLog.lastIndex()
        #expect(throws: RaftError.self, "\(what)") {
            try r.step(Message(type: .msgApp, to: 1, from: 2, term: 2, logTerm: 0, index: 0, entries: entries, commit: 0))
        }
        #expect(r.raftLog.lastIndex() == before)
        #expect(r.readMessages().isEmpty)
    }

    /// Regression: an acknowledgement beyond the leader's last index used to move the follower's
    /// progress past the log and stop the process on the next append (etcd panics: "need
    /// non-empty snapshot"); it is now refused and changes nothing.
    @Test func ackBeyondLeaderLogIsRefused() throws {
        let r = try newTestRaft(id: 1, peers: [1, 2, 3])
        r.becomeLeaderNow()
        _ = r.readMessages()
        let pr = try #require(r.trk.progress[2])
        let before = pr.clone()
        #expect(throws: RaftError.self) {
            try r.step(Message(type: .msgAppResp, to: 1, from: 2, term: r.term, index: r.raftLog.lastIndex() + 1))
        }
        #expect(pr == before)
        try r.step(propMessage())
        try r.step(Message(type: .msgHeartbeatResp, to: 1, from: 2, term: r.term))
        #expect(r.state == .leader)
        // A rejection naming such an index is merely stale, as in etcd.
        try r.step(Message(type: .msgAppResp, to: 1, from: 2, term: r.term, index: 99, reject: true, rejectHint: 99))
        #expect(r.state == .leader)
    }

    /// The same storm against a three-node cluster, where the nodes' own traffic (elections,
    /// proposals, ticks) mixes with the hostile messages. Forged votes or appends can fool raft
    /// (it does not defend against Byzantine peers), so only each node's own invariants are
    /// checked.
    @Test(arguments: [false, true])
    func clusterSurvivesInjectedMessages(preVoteOn: Bool) throws {
        let net = try TestNetwork(fresh: 3, seed: 7) {
            $0.preVote = preVoteOn
            $0.checkQuorum = preVoteOn
            $0.maxSizePerMsg = 64
        }
        // A forged acknowledgement can convince a leader that a follower holds an entry it does not;
        // the two then trade the same append and rejection forever (etcd does the same). That is
        // a liveness problem under Byzantine input, not a safety one: cut such storms short.
        net.toleratesStorms = true
        net.deliveryLimit = 5_000
        var input = HostileInput(rng: SeededRandomNumberGenerator(seed: preVoteOn ? 11 : 12))
        var histories = [UInt64: NodeHistory]()
        for round in 0..<600 {
            let target = net[UInt64(input.small(1...3))]
            if input.chance(0.3) {
                let m = input.message(to: target)
                if traceEnabled { print("hostile cluster round \(round): \(m.describe())") }
                if m.type != .msgStorageAppendResp && m.type != .msgStorageApplyResp { net.send(m) }
            } else if input.chance(0.5) {
                target.tick()
                net.send(target.readMessages())
            } else if target.state == .leader {
                net.send(propMessage("round \(round)", node: target.id))
            } else {
                net.send(localMessage(.msgHup, node: target.id))
            }
            for id: UInt64 in 1...3 {
                let r = net[id]
                let problems = histories[id, default: NodeHistory()].check(r)
                if !problems.isEmpty {
                    Issue.record("node \(id) after round \(round): \(problems.joined(separator: "; "))")
                    return
                }
            }
        }
    }
}
