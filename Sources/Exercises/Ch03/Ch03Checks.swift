import ExerciseSupport
import Raft

// Chapter 3's exercises and their checks. `mustSync` (3.1) is compared with the library's rule;
// `acceptReady` (3.2) runs on twins of a RawNode driven through the same Readies, and in a small
// cluster run at random beside the library's; `handleReady` (3.3) runs against an application
// that records its duties, judged by the order rules of the Ready contract (etcd's, and the Raft
// thesis §10.2.1) rather than by one fixed order.

extension Catalog {
    static let ch03 = ChapterExercises(chapter: 3, exercises: [
        Exercise("3.1", "mustSync", replaces: "Ready.mustSync (Sources/Raft/RawNode/Ready.swift)",
                 file: "MustSync.swift", summary: "must this Ready be written durably before going on?",
                 checks: Ch03Checks.mustSync),
        Exercise("3.2", "acceptReady", replaces: "RawNode.acceptReady (Sources/Raft/RawNode/RawNode.swift)",
                 file: "AcceptReady.swift", summary: "the accept half of the Ready/Advance handshake",
                 checks: Ch03Checks.acceptReady),
        Exercise("3.3", "handleReady", replaces: "handleReady (Sources/Raft/RawNode/ReadyApplication.swift)",
                 file: "HandleReady.swift", summary: "the application's handling of one Ready",
                 checks: Ch03Checks.handleReady),
    ])
}

enum Ch03Checks {
    typealias F = Fixtures

    // MARK: 3.1

    static func compareMustSync(_ parts: Parts, _ expect: inout Expectations, _ hs: HardState, prev: HardState,
                                entries: Int) throws {
        let yours = try parts.require(\.mustSync, "3.1")
        expect.equal(yours(hs, prev, entries), Ready.mustSync(hs, prev, entryCount: entries),
                     "mustSync(HardState(\(hs)), prev: HardState(\(prev)), entryCount: \(entries))")
    }

    static func hs(_ term: UInt64, _ vote: UInt64, _ commit: UInt64) -> HardState {
        HardState(term: term, vote: vote, commit: commit)
    }

    static let mustSync: [Check] = [
        Check("new entries must be synced") { parts, expect in
            try compareMustSync(parts, &expect, hs(2, 1, 5), prev: hs(2, 1, 5), entries: 1)
            try compareMustSync(parts, &expect, hs(2, 1, 7), prev: hs(2, 1, 5), entries: 3)
            try compareMustSync(parts, &expect, HardState(), prev: HardState(), entries: 2)
        },
        Check("a new term must be synced") { parts, expect in
            try compareMustSync(parts, &expect, hs(3, 0, 5), prev: hs(2, 0, 5), entries: 0)
            try compareMustSync(parts, &expect, hs(3, 0, 5), prev: hs(2, 1, 5), entries: 0)
            try compareMustSync(parts, &expect, hs(1, 0, 0), prev: HardState(), entries: 0)
        },
        Check("a new vote must be synced, even in a term already known") { parts, expect in
            try compareMustSync(parts, &expect, hs(3, 2, 5), prev: hs(3, 0, 5), entries: 0)
            try compareMustSync(parts, &expect, hs(4, 1, 5), prev: hs(3, 1, 5), entries: 0)
            try compareMustSync(parts, &expect, hs(4, 1, 6), prev: hs(4, 0, 5), entries: 0)
        },
        Check("a Ready that only moves the commit index needs no sync") { parts, expect in
            try compareMustSync(parts, &expect, hs(3, 2, 7), prev: hs(3, 2, 5), entries: 0)
            try compareMustSync(parts, &expect, hs(1, 0, 1), prev: hs(1, 0, 0), entries: 0)
        },
        Check("nothing new: no sync") { parts, expect in
            try compareMustSync(parts, &expect, hs(3, 2, 7), prev: hs(3, 2, 7), entries: 0)
            try compareMustSync(parts, &expect, HardState(), prev: HardState(), entries: 0)
        },
        Check("any reachable change of hard state and any number of entries: the same as the library") { parts, expect in
            var rng = SeededRandomNumberGenerator(seed: 31)
            for _ in 0..<400 {
                // Only changes raft can make: the term never goes down, a vote cast in a term stays
                // (a node that has not voted may vote), and the commit index never goes back.
                let prev = hs(UInt64.random(in: 0...2, using: &rng), UInt64.random(in: 0...2, using: &rng),
                              UInt64.random(in: 0...2, using: &rng))
                let term = prev.term + UInt64.random(in: 0...1, using: &rng)
                let vote = term == prev.term && prev.vote != 0 ? prev.vote : UInt64.random(in: 0...2, using: &rng)
                let next = hs(term, vote, prev.commit + UInt64.random(in: 0...1, using: &rng))
                try compareMustSync(parts, &expect, next, prev: prev, entries: Int.random(in: 0...2, using: &rng))
                if !expect.failures.isEmpty { return }
            }
        },
        Check("a small cluster, run at random: every Ready says MustSync as the library's") { parts, expect in
            _ = try parts.require(\.mustSync, "3.1")
            compareClusterRuns(parts, &expect, seeds: 1...4)
        },
    ]

    // MARK: 3.2

    /// What happens to node 1 in a 3.2 scenario, one act after the other.
    enum Act {
        case step(Message)
        case campaign
        case propose(String)
        case readIndex(String)
        /// Take a Ready (`readyWithoutAccept`), accept it (the learner's code on one twin, the
        /// library's on the other), then advance it, or, with asynchronous writes, play the storage
        /// threads: step the responses they would deliver to the node.
        case handle

        var text: String {
            switch self {
            case .step(let m): "took \(m.describe())"
            case .campaign: "campaigned"
            case .propose(let data): "proposed \"\(data)\""
            case .readIndex(let ctx): "asked readIndex(\"\(ctx)\")"
            case .handle: "handled a Ready"
            }
        }
    }

    /// Runs `acts` on twins of node 1 (voters `voters`, entries 1/1 to 1/3 committed and applied),
    /// accepting each Ready with the learner's `acceptReady` on one and the library's on the other,
    /// and compares the Ready built, the node after accepting it, and the node after its advance.
    static func compareAccept(_ parts: Parts, _ expect: inout Expectations, _ what: String,
                              voters: [UInt64] = [1, 2, 3], async: Bool = false, _ acts: [Act]) throws {
        let yours = try parts.require(\.acceptReady, "3.2")
        func twin() -> (RawNode, MemoryStorage) {
            let storage = F.storage(terms: [1, 1, 1], voters: voters, hardState: HardState(term: 1, commit: 3))
            return (F.node(id: 1, storage: storage, logger: DiscardLogger()) {
                $0.applied = 3
                $0.asyncStorageWrites = async
            }, storage)
        }
        let (mine, myStorage) = twin(), (theirs, theirStorage) = twin()
        var history = "node 1 (\(what))"
        for act in acts {
            history += ", " + act.text
            switch act {
            case .step(let m):
                try? mine.step(m)
                try? theirs.step(m)
            case .campaign:
                try? mine.campaign()
                try? theirs.campaign()
            case .propose(let data):
                try? mine.propose(Array(data.utf8))
                try? theirs.propose(Array(data.utf8))
            case .readIndex(let ctx):
                mine.readIndex(Array(ctx.utf8))
                theirs.readIndex(Array(ctx.utf8))
            case .handle:
                let myReady = mine.readyWithoutAccept(), theirReady = theirs.readyWithoutAccept()
                expect.same(myReady.describe(), theirReady.describe(), "\(history): the Ready built")
                if !expect.failures.isEmpty { return }
                yours(mine, myReady)
                theirs.acceptReady(theirReady)
                expect.same(Ch01Checks.describe(mine), Ch01Checks.describe(theirs),
                            "\(history): after acceptReady(that Ready), the node")
                if !expect.failures.isEmpty { return }
                if async {
                    storageThreads(mine, myStorage, myReady)
                    storageThreads(theirs, theirStorage, theirReady)
                    expect.same(Ch01Checks.describe(mine), Ch01Checks.describe(theirs),
                                "\(history): after the storage threads did the work, the node")
                } else {
                    persist(myStorage, hardState: myReady.hardState, entries: myReady.entries, snapshot: myReady.snapshot)
                    persist(theirStorage, hardState: theirReady.hardState, entries: theirReady.entries,
                            snapshot: theirReady.snapshot)
                    mine.advance(myReady)
                    theirs.advance(theirReady)
                    expect.same(Ch01Checks.describe(mine), Ch01Checks.describe(theirs),
                                "\(history): after advance, the node")
                }
                if !expect.failures.isEmpty { return }
            }
        }
    }

    /// With asynchronous writes: the append and apply threads did the work of `rd` and deliver
    /// the responses addressed to the node itself.
    static func storageThreads(_ raw: RawNode, _ storage: MemoryStorage, _ rd: Ready) {
        for m in rd.messages where m.to == PeerID.localAppendThread {
            persist(storage, hardState: HardState(term: m.term, vote: m.vote, commit: m.commit), entries: m.entries,
                    snapshot: m.snapshot ?? .empty)
        }
        for m in rd.messages where PeerID.isLocalTarget(m.to) {
            for r in m.responses where r.to == raw.raft.id { try? raw.step(r) }
        }
    }

    /// Writes a Ready's (or a storage message's) state to `storage`.
    static func persist(_ storage: MemoryStorage, hardState: HardState, entries: [Entry], snapshot: Snapshot) {
        if !snapshot.isEmpty { try? storage.applySnapshot(snapshot) }
        try? storage.append(entries)
        if !hardState.isEmpty { storage.setHardState(hardState) }
    }

    static let followerAppend: [Act] = [.step(Ch01Checks.append), .handle, .step(Ch01Checks.heartbeat), .handle]
    static let leaderOfThree: [Act] = [
        .campaign, .handle,
        .step(Message(type: .msgVoteResp, to: 1, from: 2, term: 2)), .handle,
        .step(Message(type: .msgAppResp, to: 1, from: 2, term: 2, index: 4)), .handle,
        .propose("x"), .handle,
    ]
    static let singleLeaderRead: [Act] = [.campaign, .handle, .handle, .handle, .readIndex("r1"), .handle, .handle]

    static let acceptReady: [Check] = [
        Check("the hard and soft state handed out are remembered: the next Ready reports only what changed") { parts, expect in
            try compareAccept(parts, &expect, "a follower", followerAppend)
            try compareAccept(parts, &expect, "a candidate, then leader", leaderOfThree)
        },
        Check("messages handed out leave raft: none is sent twice") { parts, expect in
            try compareAccept(parts, &expect, "a follower", [.step(Ch01Checks.heartbeat), .handle, .handle])
            try compareAccept(parts, &expect, "a candidate, then leader", leaderOfThree)
        },
        Check("entries handed out are marked as being written, committed ones as being applied") { parts, expect in
            try compareAccept(parts, &expect, "a follower", followerAppend)
            try compareAccept(parts, &expect, "a follower writing asynchronously", async: true, followerAppend)
        },
        Check("what waits for advance: the node's own acknowledgement, then the storage receipts") { parts, expect in
            try compareAccept(parts, &expect, "a candidate, then leader", leaderOfThree)
            try compareAccept(parts, &expect, "the only voter", voters: [1], singleLeaderRead)
        },
        Check("read states are handed out once") { parts, expect in
            try compareAccept(parts, &expect, "the only voter", voters: [1], singleLeaderRead)
        },
        Check("with asynchronous storage writes nothing waits for advance") { parts, expect in
            try compareAccept(parts, &expect, "a follower writing asynchronously", async: true, followerAppend)
            try compareAccept(parts, &expect, "the only voter, writing asynchronously", voters: [1], async: true,
                              singleLeaderRead)
        },
        Check("a small cluster, run at random: every Ready the same as the library's") { parts, expect in
            _ = try parts.require(\.acceptReady, "3.2")
            compareClusterRuns(parts, &expect, seeds: 1...4)
        },
    ]

    // MARK: A small cluster run at random

    /// Three RawNodes connected by a queue of messages, driven by a seeded generator: ticks,
    /// proposals, reads, deliveries (a few dropped) and Readies handled in raft's order. Two runs
    /// with the same seed take the same steps as long as the nodes behave alike.
    final class SmallCluster {
        var nodes: [RawNode] = []
        var storages: [MemoryStorage] = []
        var inFlight: [Message] = []
        var rng: SeededRandomNumberGenerator
        var proposals = 0

        init(seed: UInt64, parts: Parts) {
            rng = SeededRandomNumberGenerator(seed: seed)
            for id: UInt64 in 1...3 {
                let storage = F.storage()
                storages.append(storage)
                nodes.append(F.node(id: id, storage: storage, parts: parts, logger: DiscardLogger()) {
                    $0.randomNumberGenerator = SeededRandomNumberGenerator(seed: seed * 10 + id)
                })
            }
        }

        /// Takes one step; returns what it did and, for a Ready, the Ready.
        func step() -> String {
            let k = Int.random(in: 0..<nodes.count, using: &rng)
            let node = nodes[k]
            let id = k + 1
            switch Int.random(in: 0..<100, using: &rng) {
            case 0..<30:
                node.tick()
                return "tick \(id)"
            case 30..<40:
                proposals += 1
                let verdict = (try? node.propose(Array("p\(proposals)".utf8))) == nil ? "refused" : "taken"
                return "propose p\(proposals) at \(id): \(verdict)"
            case 40..<44:
                node.readIndex(Array("r\(proposals)".utf8))
                return "readIndex at \(id)"
            case 44..<75:
                guard !inFlight.isEmpty else { return "nothing to deliver" }
                let m = inFlight.remove(at: Int.random(in: 0..<inFlight.count, using: &rng))
                if Int.random(in: 0..<10, using: &rng) == 0 { return "drop \(m.describe())" }
                let to = Int(m.to) - 1
                guard nodes.indices.contains(to) else { return "no node for \(m.describe())" }
                let verdict = (try? nodes[to].step(m)) == nil ? "refused" : "stepped"
                return "deliver \(m.describe()): \(verdict)"
            default:
                guard node.hasReady() else { return "no Ready at \(id)" }
                let rd = node.ready()
                persist(storages[k], hardState: rd.hardState, entries: rd.entries, snapshot: rd.snapshot)
                inFlight.append(contentsOf: rd.messages)
                node.advance(rd)
                return "Ready of \(id): " + rd.describe()
            }
        }
    }

    /// Runs a small cluster with the learner's parts and one without, with the same seeds, and
    /// compares every step.
    static func compareClusterRuns(_ parts: Parts, _ expect: inout Expectations, seeds: ClosedRange<UInt64>) {
        for seed in seeds {
            let mine = SmallCluster(seed: seed, parts: parts), theirs = SmallCluster(seed: seed, parts: Parts())
            var recent: [String] = []
            for n in 1...800 {
                let a = mine.step(), b = theirs.step()
                if a != b {
                    let before = recent.suffix(3).map { "\n      " + $0.split(separator: "\n").joined(separator: "\n        ") }
                    expect.same(a, b, "seed \(seed), step \(n); the last steps before it:" + before.joined())
                    return
                }
                recent.append(b)
            }
            expect.require(true, "")
        }
    }

    // MARK: 3.3

    /// An application that records its duties in the order the handler performs them.
    final class RecordingApplication: ReadyApplication {
        enum Duty {
            case persist(HardState, [Entry], Snapshot)
            case send(Message)
            case apply(Entry)
            case serve(ReadState)
            case advance

            var text: String {
                switch self {
                case .persist(let hs, let entries, let snap):
                    var parts: [String] = []
                    if !hs.isEmpty { parts.append("HardState \(hs)") }
                    if !entries.isEmpty { parts.append("entries " + entries.map { "\($0.term)/\($0.index)" }.joined(separator: " ")) }
                    if !snap.isEmpty { parts.append("snapshot \(snap.metadata.term)/\(snap.metadata.index)") }
                    return "persist(" + (parts.isEmpty ? "nothing" : parts.joined(separator: ", ")) + ")"
                case .send(let m): return "send \(m.describe())"
                case .apply(let e): return "apply \(e.term)/\(e.index)"
                case .serve(let rs): return "serve read \(rs)"
                case .advance: return "advance"
                }
            }
        }

        /// The node "crashes" while writing: `persist` throws.
        struct Crashed: Error {}

        let crashOnPersist: Bool
        private(set) var duties: [Duty] = []

        init(crashOnPersist: Bool = false) { self.crashOnPersist = crashOnPersist }

        func persist(hardState: HardState, entries: [Entry], snapshot: Snapshot) throws {
            duties.append(.persist(hardState, entries, snapshot))
            if crashOnPersist { throw Crashed() }
        }

        func send(_ messages: [Message]) { for m in messages { duties.append(.send(m)) } }
        func apply(_ entries: [Entry]) { for e in entries { duties.append(.apply(e)) } }
        func serveReads(_ readStates: [ReadState]) { for rs in readStates { duties.append(.serve(rs)) } }
        func advance(_ rd: Ready) { duties.append(.advance) }

        var record: String { duties.isEmpty ? "nothing" : duties.map(\.text).joined(separator: "; ") }
    }

    /// Messages that promise what this Ready writes: raft holds them in `msgsAfterAppend` until
    /// the write (under asynchronous writes they travel as the append's responses).
    static let promising: Set<MessageType> = [.msgAppResp, .msgVoteResp, .msgPreVoteResp]

    /// Whether the Ready has anything to write.
    static func writes(_ rd: Ready) -> Bool { !rd.hardState.isEmpty || !rd.entries.isEmpty || !rd.snapshot.isEmpty }

    /// A named Ready for the checks.
    struct Sample {
        let name: String
        let rd: Ready
    }

    static func msg(_ type: MessageType, _ from: UInt64, _ to: UInt64, term: UInt64 = 2, index: UInt64 = 0,
                    commit: UInt64 = 0, entries: [Entry] = [], reject: Bool = false) -> Message {
        Message(type: type, to: to, from: from, term: term, logTerm: term, index: index, entries: entries,
                commit: commit, reject: reject)
    }

    static func ready(hardState: HardState = .empty, entries: [Entry] = [], snapshot: Snapshot = .empty,
                      committed: [Entry] = [], messages: [Message] = [], reads: [ReadState] = []) -> Ready {
        var rd = Ready()
        rd.hardState = hardState
        rd.entries = entries
        rd.snapshot = snapshot
        rd.committedEntries = committed
        rd.messages = messages
        rd.readStates = reads
        rd.mustSync = !entries.isEmpty || !hardState.isEmpty
        return rd
    }

    /// Readies as raft hands them out, one per situation.
    static let samples: [Sample] = [
        Sample(name: "a follower taking entries 2/6, 2/7 and commit 6", rd: ready(
            hardState: hs(2, 1, 6), entries: F.entries(from: 6, terms: [2, 2]), committed: F.entries(from: 5, terms: [2, 2]),
            messages: [msg(.msgAppResp, 2, 1, index: 7)])),
        Sample(name: "a node granting its vote", rd: ready(
            hardState: hs(3, 3, 5), messages: [msg(.msgVoteResp, 2, 3, term: 3)])),
        Sample(name: "a node granting a pre-vote", rd: ready(
            messages: [msg(.msgPreVoteResp, 2, 3, term: 4)])),
        Sample(name: "a candidate asking for votes", rd: ready(
            hardState: hs(3, 1, 5), messages: [msg(.msgVote, 1, 2, term: 3, index: 5), msg(.msgVote, 1, 3, term: 3, index: 5)])),
        Sample(name: "a leader appending a proposal", rd: ready(
            entries: F.entries(from: 8, terms: [2]),
            messages: [msg(.msgApp, 1, 2, index: 7, commit: 7, entries: F.entries(from: 8, terms: [2])),
                       msg(.msgApp, 1, 3, index: 7, commit: 7, entries: F.entries(from: 8, terms: [2]))])),
        Sample(name: "a leader committing and answering a read", rd: ready(
            hardState: hs(2, 1, 8), committed: F.entries(from: 8, terms: [2]),
            messages: [msg(.msgApp, 1, 2, index: 8, commit: 8), msg(.msgHeartbeat, 1, 3, commit: 8)],
            reads: [ReadState(index: 8, requestCtx: Array("r1".utf8))])),
        Sample(name: "a follower installing a snapshot", rd: ready(
            hardState: hs(3, 0, 10),
            snapshot: Snapshot(metadata: SnapshotMetadata(confState: ConfState(voters: [1, 2, 3]), index: 10, term: 3)),
            messages: [msg(.msgAppResp, 2, 1, term: 3, index: 10)])),
        Sample(name: "a follower rejecting an append and answering a heartbeat", rd: ready(
            messages: [msg(.msgAppResp, 2, 1, index: 4, reject: true), msg(.msgHeartbeatResp, 2, 1)])),
        Sample(name: "a follower applying what its leader committed", rd: ready(
            hardState: hs(2, 1, 9), committed: F.entries(from: 8, terms: [2, 2]), messages: [msg(.msgAppResp, 2, 1, index: 9)],
            reads: [ReadState(index: 9, requestCtx: Array("r2".utf8)), ReadState(index: 9, requestCtx: Array("r3".utf8))])),
    ]

    /// One rule of the contract: what is wrong with how `app` handled `rd` (nil when nothing).
    typealias Rule = @Sendable (Ready, RecordingApplication) -> String?

    /// What the Ready asks to write is written once, exactly that; a Ready without a write may
    /// skip `persist`.
    static let persistedOnce: Rule = { rd, app in
        var persists: [(HardState, [Entry], Snapshot)] = []
        for case .persist(let hs, let entries, let snap) in app.duties { persists.append((hs, entries, snap)) }
        if persists.isEmpty { return writes(rd) ? "it never called persist" : nil }
        if persists.count > 1 { return "it called persist \(persists.count) times" }
        let (hs, entries, snap) = persists[0]
        if hs != rd.hardState || entries != rd.entries || snap != rd.snapshot {
            return "it persisted something else than the Ready's hard state, entries and snapshot"
        }
        return nil
    }

    /// The position of the write, if there was one.
    static func persistPosition(_ app: RecordingApplication) -> Int? {
        app.duties.firstIndex { if case .persist = $0 { true } else { false } }
    }

    /// Acknowledgements and votes are sent only after the write.
    static let promisesAfterWrite: Rule = { rd, app in
        guard writes(rd) else { return nil }
        guard let p = persistPosition(app) else { return "it never called persist" }
        for (k, duty) in app.duties.enumerated() {
            if case .send(let m) = duty, promising.contains(m.type), k < p {
                return "it sent \(m.describe()) before persisting: that message promises what this Ready writes"
            }
        }
        return nil
    }

    /// Every message is sent once.
    static let everyMessageOnce: Rule = { rd, app in
        var sent: [String] = []
        for case .send(let m) in app.duties { sent.append(m.describe()) }
        let expected = rd.messages.map { $0.describe() }
        if sent.sorted() == expected.sorted() { return nil }
        let missing = expected.filter { e in sent.filter { $0 == e }.count < expected.filter { $0 == e }.count }
        let extra = sent.filter { s in sent.filter { $0 == s }.count > expected.filter { $0 == s }.count }
        if let m = missing.first { return "it did not send \(m)" }
        return "it sent \(extra.first ?? "something") more often than the Ready holds it"
    }

    /// The committed entries are applied once, in order, after the write.
    static let appliedInOrderAfterWrite: Rule = { rd, app in
        var applied: [Entry] = []
        for case .apply(let e) in app.duties { applied.append(e) }
        if applied != rd.committedEntries {
            return "it applied \(applied.map { "\($0.term)/\($0.index)" }) where the Ready commits "
                + "\(rd.committedEntries.map { "\($0.term)/\($0.index)" })"
        }
        if writes(rd), let p = persistPosition(app),
           let k = app.duties.firstIndex(where: { if case .apply = $0 { true } else { false } }), k < p {
            return "it applied entries before persisting (they may be among the entries this Ready writes)"
        }
        return nil
    }

    /// Reads are served once each, after the write and after the entries are applied.
    static let readsAfterApply: Rule = { rd, app in
        var served: [ReadState] = []
        for case .serve(let rs) in app.duties { served.append(rs) }
        if served.map(\.description).sorted() != rd.readStates.map(\.description).sorted() {
            return "it served the reads \(served) where the Ready answers \(rd.readStates)"
        }
        guard let firstServe = app.duties.firstIndex(where: { if case .serve = $0 { true } else { false } }) else { return nil }
        if writes(rd), let p = persistPosition(app), firstServe < p { return "it served a read before persisting" }
        if let lastApply = app.duties.lastIndex(where: { if case .apply = $0 { true } else { false } }), firstServe < lastApply {
            return "it served a read before applying the committed entries (a read index may be among them)"
        }
        return nil
    }

    /// `advance` comes once, last.
    static let advanceLast: Rule = { _, app in
        let advances = app.duties.filter { if case .advance = $0 { true } else { false } }.count
        if advances != 1 { return "it called advance \(advances) times" }
        if case .advance = app.duties.last { return nil }
        return "it called advance before it was done: \(app.duties.drop { if case .advance = $0 { false } else { true } }.dropFirst().map(\.text).joined(separator: "; ")) came after it"
    }

    /// Runs the learner's handler on `samples` and judges each run by `rules`.
    static func judge(_ parts: Parts, _ expect: inout Expectations, _ samples: [Sample], _ rules: [Rule]) throws {
        let yours = try parts.require(\.handleReady, "3.3")
        for sample in samples {
            let app = RecordingApplication()
            var failure: String?
            do { try yours(sample.rd, app) } catch { failure = "it threw \(error) though nothing failed" }
            for rule in rules where failure == nil { failure = rule(sample.rd, app) }
            expect.require(failure == nil, "handling the Ready of \(sample.name), \(failure ?? "")\n"
                + "      what it did: \(app.record)")
            if !expect.failures.isEmpty { return }
        }
    }

    static let handleReady: [Check] = [
        Check("what the Ready asks to write is persisted, once") { parts, expect in
            try judge(parts, &expect, samples, [persistedOnce])
        },
        Check("acknowledgements and votes leave only after the write they promise") { parts, expect in
            try judge(parts, &expect, samples, [promisesAfterWrite])
        },
        Check("every message is sent once, a leader's appends included (they may leave before its write)") { parts, expect in
            try judge(parts, &expect, samples, [everyMessageOnce])
        },
        Check("committed entries are applied once, in order, after the write") { parts, expect in
            try judge(parts, &expect, samples, [appliedInOrderAfterWrite])
        },
        Check("reads are served after the write, once the entries are applied") { parts, expect in
            try judge(parts, &expect, samples, [readsAfterApply])
        },
        Check("advance comes last, once, after the entries are applied and the reads served") { parts, expect in
            try judge(parts, &expect, samples, [advanceLast])
        },
        Check("a write that fails (the node crashed) ends the handling: nothing after it") { parts, expect in
            let yours = try parts.require(\.handleReady, "3.3")
            for sample in samples where writes(sample.rd) {
                let app = RecordingApplication(crashOnPersist: true)
                var threw = false
                do { try yours(sample.rd, app) } catch { threw = true }
                let setting = "handling the Ready of \(sample.name) with a persist that throws"
                guard let p = persistPosition(app) else {
                    expect.require(false, "\(setting), it never called persist\n      what it did: \(app.record)")
                    return
                }
                expect.require(p == app.duties.count - 1,
                               "\(setting), it went on after the failed write\n      what it did: \(app.record)")
                expect.require(threw, "\(setting), it did not pass the error on")
                if !expect.failures.isEmpty { return }
            }
        },
        Check("any Ready: every duty once, in an order that keeps raft's promises") { parts, expect in
            var rng = SeededRandomNumberGenerator(seed: 33)
            let types: [MessageType] = [.msgApp, .msgAppResp, .msgVote, .msgVoteResp, .msgPreVote, .msgPreVoteResp,
                                        .msgHeartbeat, .msgHeartbeatResp, .msgSnap, .msgReadIndexResp, .msgTimeoutNow]
            var randomSamples: [Sample] = []
            for n in 0..<200 {
                let term = UInt64.random(in: 1...3, using: &rng)
                let hardState = Bool.random(using: &rng) ? hs(term, UInt64.random(in: 0...3, using: &rng), 5) : HardState.empty
                let entries = F.entries(from: 6, terms: Array(repeating: term, count: Int.random(in: 0...2, using: &rng)))
                let committed = F.entries(from: 4, terms: Array(repeating: 1, count: Int.random(in: 0...3, using: &rng)))
                let messages = (0..<Int.random(in: 0...4, using: &rng)).map { k in
                    msg(types.randomElement(using: &rng) ?? .msgApp, 1, UInt64(2 + k % 2), term: term, index: UInt64(k))
                }
                let reads = (0..<Int.random(in: 0...2, using: &rng)).map {
                    ReadState(index: 5, requestCtx: Array("r\($0)".utf8))
                }
                randomSamples.append(Sample(name: "random Ready \(n + 1)", rd: ready(
                    hardState: hardState, entries: entries, committed: committed, messages: messages, reads: reads)))
            }
            try judge(parts, &expect, randomSamples,
                      [persistedOnce, promisesAfterWrite, everyMessageOnce, appliedInOrderAfterWrite, readsAfterApply,
                       advanceLast])
        },
    ]
}
