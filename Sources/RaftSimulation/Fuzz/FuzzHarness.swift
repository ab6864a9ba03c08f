import Raft

/// The role a fuzzed node starts in.
public enum FuzzRole: String, CaseIterable, Sendable {
    case follower, preCandidate, candidate, leader, learner
}

/// What fuzzing one node did.
public struct FuzzReport: Sendable {
    public var role: FuzzRole
    public var asyncStorageWrites: Bool
    public var messages = 0
    /// Messages raft refused with an error (`invalidMessage`, `stepLocalMsg`...).
    public var refused = 0
    /// Messages claiming to come from the node's own storage threads, dropped by the transport.
    public var forgedLocal = 0
    /// Times the node's role changed under the fuzzed messages and ticks.
    public var roleChanges = 0
    public var entriesApplied = 0
    public var snapshotsRestored = 0
    /// Broken invariants, in the order found.
    public var violations: [String] = []
}

/// One raft node (id 1 of members 1, 2, 3; a learner in the `.learner` role, with voters 2, 3, 4)
/// put into a role, then fed hostile messages (see `MessageFuzzer`) with ticks in between, its
/// Readies handled by a plain application. After every message it checks what must hold whatever
/// a peer sends:
///
/// - the term never goes down, and a vote cast in a term is never changed in that term;
/// - the commit index never goes down, and an entry once committed is never replaced;
/// - applied <= committed <= last index, and entries are applied in order, each the committed one;
/// - the application can persist every Ready as the contract says (no gaps, no snapshot behind
///   the log), and the persisted commit index is within the persisted log.
///
/// A forged message from a "leader" may make the node accept garbage (raft trusts its leader);
/// it may not make the node break these. And nothing may trap.
public final class FuzzHarness {
    public let role: FuzzRole
    let id: UInt64 = 1
    let peers: [UInt64]
    let storage = MemoryStorage()
    let raw: RawNode
    let async: Bool
    private(set) var report: FuzzReport

    private var lastTerm: UInt64 = 0
    private var lastVote: UInt64 = 0
    private var lastCommit: UInt64 = 0
    private var lastState: StateType = .follower
    /// The term of each committed entry seen, by index (only looked up, never iterated).
    private var committedTerms: [UInt64: UInt64] = [:]
    private var applied: UInt64 = 0

    /// A node in `role`, its options drawn from `seed`.
    public init(role: FuzzRole, asyncStorageWrites: Bool, seed: UInt64) throws {
        self.role = role
        async = asyncStorageWrites
        report = FuzzReport(role: role, asyncStorageWrites: asyncStorageWrites)
        var r = SimRandom(seed: seed, stream: 21)
        let cs = role == .learner ? ConfState(voters: [2, 3, 4], learners: [1]) : ConfState(voters: [1, 2, 3])
        peers = role == .learner ? [2, 3, 4] : [2, 3]
        try storage.applySnapshot(Snapshot(metadata: SnapshotMetadata(confState: cs, index: 1, term: 1)))
        storage.setHardState(HardState(term: 1, commit: 1))
        var c = Config(id: id, electionTick: 10, heartbeatTick: 1, storage: storage)
        c.applied = 1
        c.asyncStorageWrites = asyncStorageWrites
        c.preVote = role == .preCandidate || (role != .candidate && r.chance(0.5))
        c.checkQuorum = r.chance(0.5)
        c.maxSizePerMsg = [0, 64, noLimit][r.int(0...2)]
        c.maxInflightMsgs = [1, 256][r.int(0...1)]
        c.logger = DiscardLogger()
        c.randomNumberGenerator = SimRandom(seed: seed, stream: 22)
        raw = try RawNode(config: c)
        applied = 1
        lastTerm = 1
        try enterRole()
    }

    /// Brings the node into its role with well-formed traffic.
    private func enterRole() throws {
        // A leader at term 2 replicates three entries and commits two.
        let leader = peers[0]
        let app = Message(type: .msgApp, to: id, from: leader, term: 2, logTerm: 1, index: 1,
                          entries: [Entry(term: 2, index: 2), Entry(term: 2, index: 3), Entry(term: 2, index: 4)], commit: 3)
        try raw.step(app)
        drain()
        switch role {
        case .follower, .learner:
            break
        case .preCandidate, .candidate:
            try raw.campaign()
            drain()
        case .leader:
            try raw.campaign()
            drain()
            let st = raw.basicStatus()
            if st.softState.raftState == .preCandidate {
                try raw.step(Message(type: .msgPreVoteResp, to: id, from: leader, term: st.term + 1))
                drain()
            }
            try raw.step(Message(type: .msgVoteResp, to: id, from: leader, term: raw.basicStatus().term))
            drain()
        }
        lastState = raw.basicStatus().softState.raftState
    }

    /// Feeds `count` fuzzed messages, with a tick after about one in ten.
    public func run(messages count: Int, seed: UInt64) -> FuzzReport {
        var fuzzer = MessageFuzzer(seed: seed, target: id, peers: peers)
        var r = SimRandom(seed: seed, stream: 23)
        for _ in 0..<count {
            let st = raw.basicStatus()
            let bounds = raw.logBounds
            let m = fuzzer.next(MessageFuzzer.View(term: st.term, commit: st.commit, firstIndex: bounds.first, lastIndex: bounds.last))
            report.messages += 1
            // The transport knows which peer sent what: a message from the network that claims to
            // come from one of the node's own storage threads is forged, and never reaches raft
            // (RawNode.step, like etcd's, takes such a `from` at its word).
            if PeerID.isLocalTarget(m.from) {
                report.forgedLocal += 1
                continue
            }
            do { try raw.step(m) } catch { report.refused += 1 }
            check("after stepping \(m.type) from \(m.from) (term \(m.term), index \(m.index))")
            if r.chance(0.1) {
                raw.tick()
                check("after a tick")
            }
            drain()
            if report.violations.count >= 5 { break }
        }
        return report
    }

    /// Handles Readies like an application (storage threads run at once under async writes).
    private func drain() {
        var rounds = 0
        while raw.hasReady() && rounds < 100 {
            rounds += 1
            let rd = raw.ready()
            if async {
                for m in rd.messages where m.to == PeerID.localAppendThread {
                    persist(HardState(term: m.term, vote: m.vote, commit: m.commit), m.entries, m.snapshot ?? Snapshot())
                    for resp in m.responses where resp.to == id { stepLocal(resp) }
                }
                for m in rd.messages where m.to == PeerID.localApplyThread {
                    apply(m.entries)
                    for resp in m.responses where resp.to == id { stepLocal(resp) }
                }
            } else {
                persist(rd.hardState, rd.entries, rd.snapshot)
                apply(rd.committedEntries)
                raw.advance(rd)
            }
            check("after handling a Ready")
        }
    }

    private func stepLocal(_ m: Message) {
        do { try raw.step(m) } catch { fail("raft refused its own storage response \(m.type): \(error)") }
    }

    private func persist(_ hs: HardState, _ entries: [Entry], _ snapshot: Snapshot) {
        do {
            if !snapshot.isEmpty {
                try storage.applySnapshot(snapshot)
                applied = snapshot.metadata.index
                report.snapshotsRestored += 1
            }
            try storage.append(entries)
            if !hs.isEmpty { storage.setHardState(hs) }
        } catch {
            fail("the Ready cannot be persisted: \(error)")
        }
        let persisted = storage.hardState
        if persisted.commit > storage.lastIndex() {
            fail("persisted commit \(persisted.commit) is beyond the persisted log (last index \(storage.lastIndex()))")
        }
    }

    private func apply(_ entries: [Entry]) {
        for e in entries {
            if e.index <= applied && async { continue }
            if e.index != applied + 1 {
                fail("applied entry \(e.index) after \(applied)")
                return
            }
            if let t = committedTerms[e.index], t != e.term {
                fail("applied \(e.term)/\(e.index), but the committed entry there has term \(t)")
            }
            applied = e.index
            report.entriesApplied += 1
            switch e.type {
            case .entryConfChange:
                if let cc = try? ConfChange(unmarshaling: e.data) { _ = try? raw.applyConfChange(cc) }
            case .entryConfChangeV2:
                if let cc = try? ConfChangeV2(unmarshaling: e.data) { _ = try? raw.applyConfChange(cc) }
            case .entryNormal:
                break
            }
        }
    }

    /// Checks the invariants against what was seen before.
    private func check(_ when: String) {
        let st = raw.basicStatus()
        let (first, last) = raw.logBounds
        if st.term < lastTerm { fail("term went from \(lastTerm) to \(st.term) \(when)") }
        if st.term == lastTerm && lastVote != 0 && st.vote != lastVote {
            fail("vote changed from \(lastVote) to \(st.vote) within term \(st.term) \(when)")
        }
        if st.commit < lastCommit { fail("commit went from \(lastCommit) to \(st.commit) \(when)") }
        if st.applied > st.commit || st.commit > last {
            fail("applied \(st.applied), commit \(st.commit), last index \(last) out of order \(when)")
        }
        // Record newly committed entries still held (a snapshot skips the ones below it), then
        // compare every committed entry still held.
        let lo = max(lastCommit + 1, first &- 1)
        if st.commit > lastCommit && lo <= st.commit {
            for i in lo...st.commit {
                if committedTerms[i] == nil, let t = raw.logTerm(at: i) { committedTerms[i] = t }
            }
        }
        let top = min(st.commit, last)
        if top >= max(first, 1) && top - max(first, 1) < 1 << 16 {
            for i in max(first, 1)...top {
                if let want = committedTerms[i], let have = raw.logTerm(at: i), have != want {
                    fail("committed entry \(want)/\(i) became \(have)/\(i) \(when)")
                    break
                }
            }
        }
        if st.softState.raftState != lastState {
            report.roleChanges += 1
            lastState = st.softState.raftState
        }
        if st.term != lastTerm { lastVote = 0 }
        lastTerm = st.term
        if st.vote != 0 { lastVote = st.vote }
        lastCommit = max(lastCommit, st.commit)
    }

    private func fail(_ what: String) {
        if report.violations.count < 5 { report.violations.append(what) }
    }

    /// The node's role right now.
    public var currentRole: StateType { raw.basicStatus().softState.raftState }
}
