import Raft

/// The checks of chapter 3, Ready and Advance.
enum Ch03Checks {
    static let exercises = [syncing, readyLoop]

    // MARK: - 3.1 mustSync

    static let syncing = Exercise(
        ExerciseID(3, 1), "mustSync",
        summary: "Which changes must reach disk synchronously before a Ready's messages go out.",
        symbol: "mustSync(previous:current:entryCount:)",
        hint: """
            Raft's messages make promises about durable state: a vote promises the term and the \
            vote will not be forgotten, an append acknowledgement promises the entries are \
            stored (Raft paper, figure 2: persist before responding). So new entries, a new term \
            or a new vote must be synced. The commit index is different: a node that forgets it \
            after a crash simply learns it again from the leader.
            """,
        subject: { $0.ch03 },
        checks: [
            Check("new entries must be synced") { ch, expect in
                let hs = HardState(term: 1, vote: 1, commit: 3)
                expect.equal(ch.mustSync(previous: hs, current: hs, entryCount: 2), true,
                             "mustSync(previous: \(literal(hs)), current: \(literal(hs)), entryCount: 2)")
                expect.equal(ch.mustSync(previous: hs, current: hs, entryCount: 0), false,
                             "mustSync(previous: \(literal(hs)), current: \(literal(hs)), entryCount: 0)")
            },
            Check("a new term or a new vote must be synced") { ch, expect in
                let before = HardState(term: 1, vote: 1, commit: 3)
                let newTerm = HardState(term: 2, vote: 0, commit: 3)
                let newVote = HardState(term: 2, vote: 3, commit: 3)
                expect.equal(ch.mustSync(previous: before, current: newTerm, entryCount: 0), true,
                             "mustSync(previous: \(literal(before)), current: \(literal(newTerm)), entryCount: 0)")
                expect.equal(ch.mustSync(previous: newTerm, current: newVote, entryCount: 0), true,
                             "mustSync(previous: \(literal(newTerm)), current: \(literal(newVote)), entryCount: 0)")
            },
            Check("a new commit index alone may be written lazily") { ch, expect in
                let before = HardState(term: 2, vote: 3, commit: 3)
                let committed = HardState(term: 2, vote: 3, commit: 5)
                let both = HardState(term: 3, vote: 0, commit: 5)
                expect.equal(ch.mustSync(previous: before, current: committed, entryCount: 0), false,
                             "mustSync(previous: \(literal(before)), current: \(literal(committed)), entryCount: 0)")
                expect.equal(ch.mustSync(previous: before, current: both, entryCount: 0), true,
                             "mustSync(previous: \(literal(before)), current: \(literal(both)), entryCount: 0)")
            },
            .agreesWithReference(
                "agrees with Ready.mustSync on 200 random hard states",
                reference: Ch03Reference(),
                inputs: syncCases,
                describe: { "mustSync(previous: \(literal($0.previous)), current: \(literal($0.current)), entryCount: \($0.entryCount))" },
                { ch, c in ch.mustSync(previous: c.previous, current: c.current, entryCount: c.entryCount) }),
        ])

    /// A hard state as the Swift that builds it.
    static func literal(_ hs: HardState) -> String {
        "HardState(term: \(hs.term), vote: \(hs.vote), commit: \(hs.commit))"
    }

    struct SyncCase: Sendable {
        let previous: HardState
        let current: HardState
        let entryCount: Int
    }

    static let syncCases: [SyncCase] = SeededRandomNumberGenerator.cases(200, seed: 31) { rng in
        func random(_ rng: inout SeededRandomNumberGenerator) -> HardState {
            HardState(term: UInt64.random(in: 1...2, using: &rng), vote: UInt64.random(in: 0...2, using: &rng),
                      commit: UInt64.random(in: 0...2, using: &rng))
        }
        return SyncCase(previous: random(&rng), current: random(&rng), entryCount: Int.random(in: 0...1, using: &rng))
    }

    // MARK: - 3.2 The Ready loop

    static let readyLoop = Exercise(
        ExerciseID(3, 2), "the Ready loop",
        summary: "Turn a Ready into the application's actions, in order: persist, send, apply, advance.",
        symbol: "readyPlan(for:)",
        hint: """
            Walk the Ready's fields in the order of the contract and emit an action only for a \
            field with something in it: .saveSnapshot when !snapshot.isEmpty, .appendEntries when \
            entries is not empty, .saveHardState when !hardState.isEmpty, then .send for the \
            messages, .apply for committedEntries, and always .advance last. Messages go out only \
            after the state they speak for is persisted: a vote or an append acknowledgement sent \
            before its write could be forgotten by a crash, breaking the promise it made.
            """,
        subject: { $0.ch03 },
        checks: [
            Check("every Ready ends with .advance, even an empty one") { ch, expect in
                expect.equal(ch.readyPlan(for: Ready()), [.advance], "readyPlan(for: an empty Ready)")
                let rd = ready(messages: Sample.appends)
                expect.equal(ch.readyPlan(for: rd), [.send(Sample.appends), .advance],
                             "readyPlan(for: a Ready with 2 messages)")
            },
            Check("the state is persisted before the messages are sent") { ch, expect in
                let rd = ready(hardState: Sample.hardState, entries: Sample.entries, messages: Sample.appends)
                expect.equal(ch.readyPlan(for: rd),
                             [.appendEntries(Sample.entries), .saveHardState(Sample.hardState), .send(Sample.appends), .advance],
                             "readyPlan(for: a Ready with a hard state, 2 entries and 2 messages)")
            },
            Check("committed entries are applied after sending, and nothing empty is persisted") { ch, expect in
                let both = ready(committedEntries: Sample.committed, messages: Sample.appends)
                expect.equal(ch.readyPlan(for: both), [.send(Sample.appends), .apply(Sample.committed), .advance],
                             "readyPlan(for: a Ready with 2 committed entries and 2 messages)")
                let applyOnly = ready(committedEntries: Sample.committed)
                expect.equal(ch.readyPlan(for: applyOnly), [.apply(Sample.committed), .advance],
                             "readyPlan(for: a Ready with 2 committed entries)")
            },
            Check("a snapshot is saved before the entries that follow it") { ch, expect in
                let rd = ready(hardState: Sample.afterSnapshot, entries: Sample.entriesAfterSnapshot,
                               snapshot: Sample.snapshot, messages: Sample.appends)
                expect.equal(ch.readyPlan(for: rd),
                             [.saveSnapshot(Sample.snapshot), .appendEntries(Sample.entriesAfterSnapshot),
                              .saveHardState(Sample.afterSnapshot), .send(Sample.appends), .advance],
                             "readyPlan(for: a Ready with a snapshot at 10, entries 11-12, a hard state and 2 messages)")
            },
            Check("your loop drives a real three-node cluster to apply a proposal", outcome: { ch in
                let report = ReadyLoopRig.run(plan: { ch.readyPlan(for: $0) })
                var expect = Expectations()
                expect.require(report.electedLeader,
                               "node 1 campaigned but never became leader" + firstViolation(report))
                for id: UInt64 in 1...3 {
                    expect.require(report.applied[id, default: []] == [ReadyLoopRig.proposal],
                                   "node \(id) applied \(report.applied[id, default: []]), expected [\"\(ReadyLoopRig.proposal)\"]"
                                   + firstViolation(report))
                }
                return expect.outcome
            }),
            Check("your loop keeps the contract on every Ready of that run", outcome: { ch in
                let report = ReadyLoopRig.run(plan: { ch.readyPlan(for: $0) })
                var expect = Expectations()
                expect.require(report.electedLeader, "the cluster never elected a leader" + firstViolation(report))
                for violation in report.violations { expect.require(false, violation) }
                return expect.outcome
            }),
        ])

    /// The first contract violation of a run, to explain why it went nowhere.
    static func firstViolation(_ report: ReadyLoopRig.Report) -> String {
        report.violations.first.map { " (first problem: \($0))" } ?? ""
    }

    /// A Ready with the given fields.
    static func ready(
        hardState: HardState = .empty, entries: [Entry] = [], snapshot: Snapshot = .empty,
        committedEntries: [Entry] = [], messages: [Message] = []
    ) -> Ready {
        var rd = Ready()
        rd.hardState = hardState
        rd.entries = entries
        rd.snapshot = snapshot
        rd.committedEntries = committedEntries
        rd.messages = messages
        return rd
    }

    /// The values the table rows are made of: a leader (node 1) of term 2 replicating to 2 and 3.
    enum Sample {
        static let hardState = HardState(term: 2, vote: 1, commit: 3)
        static let entries = [Entry(term: 2, index: 4, data: Array("a".utf8)), Entry(term: 2, index: 5, data: Array("b".utf8))]
        static let committed = [Entry(term: 1, index: 2, data: Array("x".utf8)), Entry(term: 2, index: 3)]
        static let appends = [
            Message(type: .msgApp, to: 2, from: 1, term: 2, logTerm: 2, index: 3, entries: entries, commit: 3),
            Message(type: .msgApp, to: 3, from: 1, term: 2, logTerm: 2, index: 3, entries: entries, commit: 3),
        ]
        static let snapshot = Snapshot(metadata: SnapshotMetadata(confState: ConfState(voters: [1, 2, 3]), index: 10, term: 3))
        static let entriesAfterSnapshot = [Entry(term: 3, index: 11), Entry(term: 3, index: 12)]
        static let afterSnapshot = HardState(term: 3, vote: 0, commit: 10)
    }
}
