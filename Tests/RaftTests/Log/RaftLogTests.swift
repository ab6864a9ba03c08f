import RaftTesting
import Testing
@testable import Raft

extension RaftLog {
    /// `maybeAppend` as a follower's handleAppendEntries calls it: the slice after (`index`,
    /// `logTerm`) checked with `valid()` first, then appended.
    fileprivate func maybeAppend(index: UInt64, logTerm: UInt64, committed: UInt64, entries: [Entry]) throws(StorageError) -> UInt64? {
        let a = LogSlice(prev: EntryID(term: logTerm, index: index), entries: entries)
        try a.valid()
        return try maybeAppend(a, committed: committed)
    }
}

extension LogLayerTests {
    /// RaftLog over MemoryStorage: conflicts, appends from a leader, commit and apply bookkeeping,
    /// durable-write acknowledgements, snapshots, and reads across the storage/unstable boundary.
    @Suite struct RaftLogTests {
        typealias F = LogFixture

        /// A log over an empty storage holding `entries` as unstable entries.
        static func log(appending entries: [Entry], logger: any Logger = DiscardLogger()) throws -> RaftLog {
            let log = RaftLog(storage: MemoryStorage(), logger: logger)
            try log.append(entries)
            log.checkInvariants()
            return log
        }

        // MARK: - Conflicts

        /// etcd: TestFindConflict.
        @Test(arguments: [
            // No conflict, nothing new.
            ([Entry](), UInt64(0)),
            (F.entries(at: 1, terms: 1, 2, 3), 0),
            (F.entries(at: 2, terms: 2, 3), 0),
            (F.entries(at: 3, terms: 3), 0),
            // No conflict, some new entries: the first new one.
            (F.entries(at: 1, terms: 1, 2, 3, 4, 4), 4),
            (F.entries(at: 2, terms: 2, 3, 4, 5), 4),
            (F.entries(at: 3, terms: 3, 4, 4), 4),
            (F.entries(at: 4, terms: 4, 4), 4),
            // Conflicts with held entries: the first conflicting one.
            (F.entries(at: 1, terms: 4, 4), 1),
            (F.entries(at: 2, terms: 1, 4, 4), 2),
            (F.entries(at: 3, terms: 1, 2, 4, 4), 3),
        ] as [([Entry], UInt64)])
        func findConflict(_ entries: [Entry], want: UInt64) throws {
            let log = try Self.log(appending: F.entries(at: 1, terms: 1, 2, 3))
            #expect(log.findConflict(entries) == want)
        }

        @Test func findConflictLogsOnlyRealConflicts() throws {
            let recorder = CapturingLogger()
            let log = try Self.log(appending: F.entries(at: 1, terms: 1, 2, 3), logger: recorder)
            _ = log.findConflict(F.entries(at: 3, terms: 3, 4))  // new entry only
            #expect(recorder.lines.isEmpty)
            _ = log.findConflict(F.entries(at: 2, terms: 1, 4))
            #expect(recorder.lines == ["INFO found conflict at index 2 [existing term: 2, conflicting term: 1]"])
        }

        struct ByTermCase: Sendable, CustomTestStringConvertible {
            var log: [Entry]  // log[0] is the snapshot's (index, term)
            var index: UInt64
            var term: UInt64
            var want: UInt64
            var testDescription: String { "log from \(log[0].id) probe \(term)/\(index)" }
        }

        static let fromZero = F.entries(at: 0, terms: 0, 2, 2, 5, 5, 5)
        static let fromTen = F.entries(at: 10, terms: 3, 3, 3, 4, 4, 4)

        /// etcd: TestFindConflictByTerm.
        @Test(arguments: [
            // The log starts at index 1.
            ByTermCase(log: fromZero, index: 100, term: 2, want: 100),  // unavailable
            ByTermCase(log: fromZero, index: 5, term: 6, want: 5),
            ByTermCase(log: fromZero, index: 5, term: 5, want: 5),
            ByTermCase(log: fromZero, index: 5, term: 4, want: 2),
            ByTermCase(log: fromZero, index: 5, term: 2, want: 2),
            ByTermCase(log: fromZero, index: 5, term: 1, want: 0),
            ByTermCase(log: fromZero, index: 1, term: 2, want: 1),
            ByTermCase(log: fromZero, index: 1, term: 1, want: 0),
            ByTermCase(log: fromZero, index: 0, term: 0, want: 0),
            // Compacted up to 10.
            ByTermCase(log: fromTen, index: 30, term: 3, want: 30),  // unavailable
            ByTermCase(log: fromTen, index: 14, term: 9, want: 14),
            ByTermCase(log: fromTen, index: 14, term: 4, want: 14),
            ByTermCase(log: fromTen, index: 14, term: 3, want: 12),
            ByTermCase(log: fromTen, index: 14, term: 2, want: 9),
            ByTermCase(log: fromTen, index: 11, term: 5, want: 11),
            ByTermCase(log: fromTen, index: 10, term: 5, want: 10),
            ByTermCase(log: fromTen, index: 10, term: 3, want: 10),
            ByTermCase(log: fromTen, index: 10, term: 2, want: 9),
            ByTermCase(log: fromTen, index: 9, term: 2, want: 9),  // compacted
            ByTermCase(log: fromTen, index: 4, term: 2, want: 4),  // compacted
            ByTermCase(log: fromTen, index: 0, term: 0, want: 0),  // compacted
        ])
        func findConflictByTerm(_ c: ByTermCase) throws {
            let storage = try F.storage(snapshotAt: c.log[0].index, term: c.log[0].term)
            let log = RaftLog(storage: storage, logger: DiscardLogger())
            try log.append(Array(c.log.dropFirst()))
            let got = log.findConflictByTerm(index: c.index, term: c.term)
            #expect(got.index == c.want)
            #expect(got.term == log.zeroTermOnOutOfBounds(c.want))
        }

        /// etcd: TestIsUpToDate.
        @Test(arguments: [
            // A later last term wins whatever the index.
            (UInt64(2), UInt64(4), true), (3, 4, true), (4, 4, true),
            // An earlier last term loses whatever the index.
            (2, 2, false), (3, 2, false), (4, 2, false),
            // The same last term: the longer (or equal) log wins.
            (2, 3, false), (3, 3, true), (4, 3, true),
        ])
        func isUpToDate(lastIndex: UInt64, term: UInt64, want: Bool) throws {
            let log = try Self.log(appending: F.entries(at: 1, terms: 1, 2, 3))
            #expect(log.isUpToDate(EntryID(term: term, index: lastIndex)) == want)
        }

        // MARK: - Appending

        /// etcd: TestAppend.
        @Test(arguments: [
            ([Entry](), UInt64(2), F.entries(at: 1, terms: 1, 2), UInt64(3)),
            (F.entries(at: 3, terms: 2), 3, F.entries(at: 1, terms: 1, 2, 2), 3),
            // Conflicts with index 1: everything is replaced.
            (F.entries(at: 1, terms: 2), 1, F.entries(at: 1, terms: 2), 1),
            // Conflicts with index 2.
            (F.entries(at: 2, terms: 3, 3), 3, F.entries(at: 1, terms: 1, 3, 3), 2),
        ])
        func append(_ entries: [Entry], wantLast: UInt64, want: [Entry], wantOffset: UInt64) throws {
            let storage = MemoryStorage()
            try storage.append(F.entries(at: 1, terms: 1, 2))
            let log = RaftLog(storage: storage, logger: DiscardLogger())
            #expect(try log.append(entries) == wantLast)
            log.checkInvariants()
            #expect(try log.entries(from: 1, maxSize: .unlimited) == want)
            #expect(log.unstable.offset == wantOffset)
        }

        @Test func appendRefusesCommittedAndGaps() throws {
            let log = try Self.log(appending: F.entries(at: 1, terms: 1, 2, 3))
            try log.commitTo(2)
            #expect(throws: StorageError.invalidIndex("after(1) is out of range [committed(2)]")) {
                try log.append(F.entries(at: 2, terms: 5))
            }
            #expect(throws: StorageError.invalidIndex("unstable.slice[1,6) out of bound [1,4]")) {
                try log.append(F.entries(at: 6, terms: 5))
            }
            #expect(throws: StorageError.invalidIndex("after(\(UInt64.max)) is out of range [committed(2)]")) {
                try log.append([Entry(term: 5, index: 0)])
            }
            #expect(throws: StorageError.invalidIndex("entries are not contiguous: index 6 follows 4")) {
                try log.append([Entry(term: 3, index: 4), Entry(term: 3, index: 6)])
            }
            log.checkInvariants()
            #expect(log.allEntries() == F.entries(at: 1, terms: 1, 2, 3))
            // Overwriting right after the commit index is allowed.
            #expect(try log.append(F.entries(at: 3, terms: 4)) == 3)
        }

        struct MaybeAppendCase: Sendable, CustomTestStringConvertible {
            var prev: EntryID
            var committed: UInt64
            var entries: [Entry]
            var wantLast: UInt64?
            var wantCommit: UInt64
            var wantThrow: Bool = false
            var testDescription: String { "after \(prev) commit \(committed) entries \(entries.map(\.id))" }
        }

        /// etcd: TestLogMaybeAppend.
        @Test(arguments: [
            // No match: other term at the index.
            MaybeAppendCase(prev: .init(term: 2, index: 3), committed: 3, entries: F.entries(at: 4, terms: 4), wantLast: nil, wantCommit: 1),
            // No match: index beyond the log.
            MaybeAppendCase(prev: .init(term: 3, index: 4), committed: 3, entries: F.entries(at: 5, terms: 4), wantLast: nil, wantCommit: 1),
            // Match with the last entry.
            MaybeAppendCase(prev: .init(term: 3, index: 3), committed: 3, entries: [], wantLast: 3, wantCommit: 3),
            // The commit index does not pass the last new entry.
            MaybeAppendCase(prev: .init(term: 3, index: 3), committed: 4, entries: [], wantLast: 3, wantCommit: 3),
            MaybeAppendCase(prev: .init(term: 3, index: 3), committed: 2, entries: [], wantLast: 3, wantCommit: 2),
            // The commit index never decreases.
            MaybeAppendCase(prev: .init(term: 3, index: 3), committed: 0, entries: [], wantLast: 3, wantCommit: 1),
            MaybeAppendCase(prev: .init(term: 0, index: 0), committed: 3, entries: [], wantLast: 0, wantCommit: 1),
            MaybeAppendCase(prev: .init(term: 3, index: 3), committed: 3, entries: F.entries(at: 4, terms: 4), wantLast: 4, wantCommit: 3),
            MaybeAppendCase(prev: .init(term: 3, index: 3), committed: 4, entries: F.entries(at: 4, terms: 4), wantLast: 4, wantCommit: 4),
            MaybeAppendCase(prev: .init(term: 3, index: 3), committed: 5, entries: F.entries(at: 4, terms: 4), wantLast: 4, wantCommit: 4),
            MaybeAppendCase(prev: .init(term: 3, index: 3), committed: 5, entries: F.entries(at: 4, terms: 4, 4), wantLast: 5, wantCommit: 5),
            // Match in the middle: the conflicting tail is replaced.
            MaybeAppendCase(prev: .init(term: 2, index: 2), committed: 3, entries: F.entries(at: 3, terms: 4), wantLast: 3, wantCommit: 3),
            MaybeAppendCase(prev: .init(term: 1, index: 1), committed: 3, entries: F.entries(at: 2, terms: 4), wantLast: 2, wantCommit: 2),
            // A conflict with a committed entry: etcd panics, we throw and change nothing.
            MaybeAppendCase(prev: .init(term: 0, index: 0), committed: 3, entries: F.entries(at: 1, terms: 4), wantLast: nil, wantCommit: 1, wantThrow: true),
            MaybeAppendCase(prev: .init(term: 1, index: 1), committed: 3, entries: F.entries(at: 2, terms: 4, 4), wantLast: 3, wantCommit: 3),
        ])
        func maybeAppend(_ c: MaybeAppendCase) throws {
            let log = try Self.log(appending: F.entries(at: 1, terms: 1, 2, 3))
            log.committed = 1
            if c.wantThrow {
                #expect(throws: StorageError.invalidIndex("entry 1 conflict with committed entry [committed(1)]")) {
                    try log.maybeAppend(index: c.prev.index, logTerm: c.prev.term, committed: c.committed, entries: c.entries)
                }
                #expect(log.allEntries() == F.entries(at: 1, terms: 1, 2, 3))
            } else {
                let got = try log.maybeAppend(index: c.prev.index, logTerm: c.prev.term, committed: c.committed, entries: c.entries)
                #expect(got == c.wantLast)
                if got != nil, !c.entries.isEmpty {
                    let last = log.lastIndex()
                    #expect(try log.slice(last - UInt64(c.entries.count) + 1, last + 1, maxSize: .unlimited) == c.entries)
                }
            }
            #expect(log.committed == c.wantCommit)
            log.checkInvariants()
        }

        @Test func maybeAppendRefusesMisplacedEntries() throws {
            let log = try Self.log(appending: F.entries(at: 1, terms: 1, 2, 3))
            #expect(throws: StorageError.invalidIndex("leader term 3: entries 3/3 and 3/6 not consistent")) {
                try log.maybeAppend(index: 3, logTerm: 3, committed: 3, entries: F.entries(at: 6, terms: 3))
            }
            #expect(throws: StorageError.invalidIndex("leader term 3: entries 3/4 and 3/6 not consistent")) {
                try log.maybeAppend(index: 3, logTerm: 3, committed: 3, entries: [Entry(term: 3, index: 4), Entry(term: 3, index: 6)])
            }
            #expect(throws: StorageError.invalidIndex("leader term 3: entries 3/\(UInt64.max) and 3/0 not consistent")) {
                try log.maybeAppend(index: .max, logTerm: 3, committed: 3, entries: F.entries(at: 0, terms: 3))
            }
            #expect(try log.maybeAppend(index: .max, logTerm: 3, committed: .max, entries: []) == nil)
            #expect(log.committed == 0)
            log.checkInvariants()
        }

        @Test func maybeAppendLogsReplacement() throws {
            let recorder = CapturingLogger()
            let storage = MemoryStorage()
            try storage.append(F.entries(at: 1, terms: 1, 1, 1))
            let log = RaftLog(storage: storage, logger: recorder)
            #expect(try log.maybeAppend(index: 1, logTerm: 1, committed: 1, entries: F.entries(at: 2, terms: 2)) == 2)
            #expect(recorder.lines == [
                "INFO found conflict at index 2 [existing term: 1, conflicting term: 2]",
                "INFO replace the unstable entries from index 2",
            ])
            #expect(log.lastIndex() == 2 && log.committed == 1)
        }

        // MARK: - Compaction

        /// etcd: TestCompactionSideEffects.
        @Test func compactionSideEffects() throws {
            // 750 entries in storage and 250 more unstable, each with term == index.
            let storage = MemoryStorage()
            try storage.append(F.selfTermed(1..<751))
            let log = RaftLog(storage: storage, logger: DiscardLogger())
            try log.append(F.selfTermed(751..<1001))
            #expect(log.maybeCommit(log.lastEntryID()))
            try log.appliedTo(log.committed, size: 0)
            log.checkInvariants()

            try storage.compact(500)
            #expect(log.lastIndex() == 1000)
            for j in UInt64(500)...1000 {
                #expect(try log.term(j) == j)
                #expect(log.matchTerm(EntryID(term: j, index: j)))
            }
            let unstable = log.nextUnstableEnts()
            #expect(unstable.count == 250)
            #expect(unstable.first?.index == 751)

            let previous = log.lastIndex()
            try log.append([Entry(term: previous + 1, index: previous + 1)])
            #expect(log.lastIndex() == previous + 1)
            #expect(try log.entries(from: log.lastIndex(), maxSize: .unlimited).count == 1)
            log.checkInvariants()
        }

        /// etcd: TestCompaction.
        @Test(arguments: [
            // Beyond the last entry.
            ([UInt64(1001)], [-1], false),
            ([300, 500, 800, 900], [700, 500, 200, 100], true),
            // Below the last compaction.
            ([300, 299], [700, -1], false),
        ])
        func compaction(compact: [UInt64], wantLeft: [Int], allowed: Bool) throws {
            let storage = MemoryStorage()
            try storage.append(F.selfTermed(1..<1001))
            let log = RaftLog(storage: storage, logger: DiscardLogger())
            #expect(!log.maybeCommit(EntryID(term: 0, index: 1000)))  // term 0 never commits
            try log.appliedTo(log.committed, size: 0)
            for (index, left) in zip(compact, wantLeft) {
                do {
                    try storage.compact(index)
                } catch {
                    #expect(!allowed)
                    continue
                }
                #expect(log.allEntries().count == left)
            }
        }

        // MARK: - Committing and applying

        /// etcd: TestCommitTo.
        @Test(arguments: [
            (UInt64(3), UInt64(3), false),
            (1, 2, false),  // never decreases
            (4, 2, true),  // beyond the last entry: etcd panics, we throw
        ])
        func commitTo(_ tocommit: UInt64, want: UInt64, throwsError: Bool) throws {
            let log = try Self.log(appending: F.entries(at: 1, terms: 1, 2, 3))
            log.committed = 2
            if throwsError {
                #expect(throws: StorageError.invalidIndex(
                    "tocommit(4) is out of range [lastIndex(3)]. Was the raft log corrupted, truncated, or lost?")
                ) { try log.commitTo(tocommit) }
            } else {
                try log.commitTo(tocommit)
            }
            #expect(log.committed == want)
            log.checkInvariants()
        }

        @Test func maybeCommitNeedsTheTerm() throws {
            let log = try Self.log(appending: F.entries(at: 1, terms: 1, 2, 2))
            #expect(!log.maybeCommit(EntryID(term: 1, index: 3)))
            #expect(!log.maybeCommit(EntryID(term: 2, index: 4)))
            #expect(log.maybeCommit(EntryID(term: 2, index: 2)))
            #expect(log.committed == 2)
            #expect(!log.maybeCommit(EntryID(term: 1, index: 1)))  // not past the commit index
            #expect(log.committed == 2)
        }

        /// Snapshot at 3 (term 1), entry 4 stable, 5 and 6 unstable, committed to 5.
        static func applyingLog(maxSize: UInt64 = noLimit) throws -> RaftLog {
            let storage = try F.storage(snapshotAt: 3, term: 1, entries: F.entries(at: 4, terms: 1))
            let log = RaftLog(storage: storage, logger: DiscardLogger(), maxApplyingEntsSize: EntryEncodingSize(maxSize))
            try log.append(F.entries(at: 4, terms: 1, 1, 1))
            log.stableTo(EntryID(term: 1, index: 4))
            #expect(log.maybeCommit(EntryID(term: 1, index: 5)))
            log.checkInvariants()
            return log
        }

        struct ApplyCase: Sendable, CustomTestStringConvertible {
            var applied: UInt64
            var applying: UInt64
            var allowUnstable: Bool
            var paused = false
            var snapshot = false
            var want: [UInt64]
            var testDescription: String {
                "applied \(applied) applying \(applying) unstable \(allowUnstable) paused \(paused) snap \(snapshot)"
            }
        }

        static let applyCases: [ApplyCase] = [
            ApplyCase(applied: 3, applying: 3, allowUnstable: true, want: [4, 5]),
            ApplyCase(applied: 3, applying: 4, allowUnstable: true, want: [5]),
            ApplyCase(applied: 3, applying: 5, allowUnstable: true, want: []),
            ApplyCase(applied: 4, applying: 4, allowUnstable: true, want: [5]),
            ApplyCase(applied: 4, applying: 5, allowUnstable: true, want: []),
            ApplyCase(applied: 5, applying: 5, allowUnstable: true, want: []),
            // Only stable entries.
            ApplyCase(applied: 3, applying: 3, allowUnstable: false, want: [4]),
            ApplyCase(applied: 3, applying: 4, allowUnstable: false, want: []),
            ApplyCase(applied: 3, applying: 5, allowUnstable: false, want: []),
            ApplyCase(applied: 4, applying: 4, allowUnstable: false, want: []),
            ApplyCase(applied: 4, applying: 5, allowUnstable: false, want: []),
            ApplyCase(applied: 5, applying: 5, allowUnstable: false, want: []),
            // Paused.
            ApplyCase(applied: 3, applying: 3, allowUnstable: true, paused: true, want: []),
            // A snapshot is pending.
            ApplyCase(applied: 3, applying: 3, allowUnstable: true, snapshot: true, want: []),
        ]

        static func prepare(_ c: ApplyCase) throws -> RaftLog {
            let log = try applyingLog()
            try log.appliedTo(c.applied, size: 0)
            try log.acceptApplying(c.applying, size: 0, allowUnstable: c.allowUnstable)
            log.applyingEntsPaused = c.paused
            if c.snapshot { log.restore(F.snapshot(index: 4, term: 1)) }
            log.checkInvariants()
            return log
        }

        /// etcd: TestHasNextCommittedEnts.
        @Test(arguments: applyCases)
        func hasNextCommittedEnts(_ c: ApplyCase) throws {
            let log = try Self.prepare(c)
            #expect(log.hasNextCommittedEnts(allowUnstable: c.allowUnstable) == !c.want.isEmpty)
        }

        /// etcd: TestNextCommittedEnts.
        @Test(arguments: applyCases)
        func nextCommittedEnts(_ c: ApplyCase) throws {
            let log = try Self.prepare(c)
            #expect(log.nextCommittedEnts(allowUnstable: c.allowUnstable).map(\.index) == c.want)
        }

        @Test func nextCommittedEntsRespectsTheSizeBudget() throws {
            let one = EntryEncodingSize(UInt64(Entry(term: 1, index: 4).encodedSize))
            let log = try Self.applyingLog(maxSize: one.bytes + 1)
            // Only entry 4 fits; the batch was cut short, so handing out pauses.
            #expect(log.nextCommittedEnts(allowUnstable: true).map(\.index) == [4])
            try log.acceptApplying(4, size: one, allowUnstable: true)
            #expect(log.applyingEntsPaused)
            #expect(log.nextCommittedEnts(allowUnstable: true).isEmpty)
            #expect(!log.hasNextCommittedEnts(allowUnstable: true))
            // Applying it frees the budget.
            try log.appliedTo(4, size: one)
            #expect(!log.applyingEntsPaused && log.applyingEntsSize == 0)
            #expect(log.nextCommittedEnts(allowUnstable: true).map(\.index) == [5])
            try log.acceptApplying(5, size: one, allowUnstable: true)
            #expect(!log.applyingEntsPaused)  // everything committed was handed out, within budget
            // One byte of budget left: entry 6 still goes out alone, then the budget is exhausted.
            #expect(log.maybeCommit(EntryID(term: 1, index: 6)))
            #expect(log.nextCommittedEnts(allowUnstable: true).map(\.index) == [6])
            try log.acceptApplying(6, size: one, allowUnstable: true)
            #expect(log.applyingEntsPaused && log.applyingEntsSize == one + one)
            #expect(log.nextCommittedEnts(allowUnstable: true).isEmpty)
            try log.appliedTo(6, size: one + one)
            #expect(!log.applyingEntsPaused && log.applyingEntsSize == 0)
            log.checkInvariants()
        }

        struct AcceptCase: Sendable {
            var index: UInt64
            var allowUnstable: Bool
            var size: UInt64
            var wantPaused: Bool
        }

        static let budget: UInt64 = 100

        /// etcd: TestAcceptApplying.
        @Test(arguments: [
            AcceptCase(index: 3, allowUnstable: true, size: budget - 1, wantPaused: true),
            AcceptCase(index: 3, allowUnstable: true, size: budget, wantPaused: true),
            AcceptCase(index: 3, allowUnstable: true, size: budget + 1, wantPaused: true),
            AcceptCase(index: 4, allowUnstable: true, size: budget - 1, wantPaused: true),
            AcceptCase(index: 4, allowUnstable: true, size: budget, wantPaused: true),
            AcceptCase(index: 4, allowUnstable: true, size: budget + 1, wantPaused: true),
            AcceptCase(index: 5, allowUnstable: true, size: budget - 1, wantPaused: false),
            AcceptCase(index: 5, allowUnstable: true, size: budget, wantPaused: true),
            AcceptCase(index: 5, allowUnstable: true, size: budget + 1, wantPaused: true),
            // Only stable entries.
            AcceptCase(index: 3, allowUnstable: false, size: budget - 1, wantPaused: true),
            AcceptCase(index: 3, allowUnstable: false, size: budget, wantPaused: true),
            AcceptCase(index: 3, allowUnstable: false, size: budget + 1, wantPaused: true),
            AcceptCase(index: 4, allowUnstable: false, size: budget - 1, wantPaused: false),
            AcceptCase(index: 4, allowUnstable: false, size: budget, wantPaused: true),
            AcceptCase(index: 4, allowUnstable: false, size: budget + 1, wantPaused: true),
            AcceptCase(index: 5, allowUnstable: false, size: budget - 1, wantPaused: false),
            AcceptCase(index: 5, allowUnstable: false, size: budget, wantPaused: true),
            AcceptCase(index: 5, allowUnstable: false, size: budget + 1, wantPaused: true),
        ])
        func acceptApplying(_ c: AcceptCase) throws {
            let log = try Self.applyingLog(maxSize: Self.budget)
            try log.appliedTo(3, size: 0)
            try log.acceptApplying(c.index, size: EntryEncodingSize(c.size), allowUnstable: c.allowUnstable)
            #expect(log.applyingEntsPaused == c.wantPaused)
            #expect(log.applying == c.index)
            log.checkInvariants()
        }

        static let overshoot: UInt64 = 5

        /// etcd: TestAppliedTo.
        @Test(arguments: [
            // Part of the entries being applied (applying is 5).
            (UInt64(4), overshoot - 1, budget + 1, true),
            (4, overshoot, budget, true),
            (4, overshoot + 1, budget - 1, false),
            // All of them.
            (5, overshoot - 1, budget + 1, true),
            (5, overshoot, budget, true),
            (5, overshoot + 1, budget - 1, false),
            // All the outstanding bytes.
            (4, budget + overshoot, 0, false),
            // More than outstanding: no underflow.
            (4, budget + overshoot + 1, 0, false),
        ])
        func appliedTo(index: UInt64, size: UInt64, wantSize: UInt64, wantPaused: Bool) throws {
            let log = try Self.applyingLog(maxSize: Self.budget)
            try log.appliedTo(3, size: 0)
            try log.acceptApplying(5, size: EntryEncodingSize(Self.budget + Self.overshoot), allowUnstable: false)
            try log.appliedTo(index, size: EntryEncodingSize(size))
            #expect(log.applied == index)
            #expect(log.applying == 5)
            #expect(log.applyingEntsSize.bytes == wantSize)
            #expect(log.applyingEntsPaused == wantPaused)
            log.checkInvariants()
        }

        @Test func applyBoundsThrow() throws {
            let log = try Self.applyingLog()
            try log.appliedTo(4, size: 0)
            #expect(throws: StorageError.invalidIndex("applied(6) is out of range [prevApplied(4), committed(5)]")) {
                try log.appliedTo(6, size: 0)
            }
            #expect(throws: StorageError.invalidIndex("applied(3) is out of range [prevApplied(4), committed(5)]")) {
                try log.appliedTo(3, size: 0)
            }
            #expect(throws: StorageError.invalidIndex("applying(6) is out of range [prevApplying(4), committed(5)]")) {
                try log.acceptApplying(6, size: 0, allowUnstable: true)
            }
            #expect(throws: StorageError.invalidIndex("applying(3) is out of range [prevApplying(4), committed(5)]")) {
                try log.acceptApplying(3, size: 0, allowUnstable: true)
            }
            #expect(log.applied == 4 && log.applying == 4)
            log.checkInvariants()
        }

        // MARK: - Durable writes

        /// etcd: TestNextUnstableEnts.
        @Test(arguments: [(3, []), (1, [1, 2])] as [(UInt64, [UInt64])])
        func nextUnstableEnts(firstUnstable: UInt64, want: [UInt64]) throws {
            let all = F.entries(at: 1, terms: 1, 2)
            let storage = MemoryStorage()
            try storage.append(Array(all[..<Int(firstUnstable - 1)]))
            let log = RaftLog(storage: storage, logger: DiscardLogger())
            try log.append(Array(all[Int(firstUnstable - 1)...]))
            let ents = log.nextUnstableEnts()
            if let last = ents.last { log.stableTo(last.id) }
            #expect(ents.map(\.index) == want)
            #expect(log.unstable.offset == 3)
            log.checkInvariants()
        }

        @Test func inProgressEntriesAreNotHandedOutTwice() throws {
            let log = try Self.log(appending: F.entries(at: 1, terms: 1, 1))
            #expect(log.hasNextUnstableEnts() && log.hasNextOrInProgressUnstableEnts())
            log.acceptUnstable()
            #expect(!log.hasNextUnstableEnts() && log.hasNextOrInProgressUnstableEnts())
            #expect(log.nextUnstableEnts().isEmpty)
            try log.append(F.entries(at: 3, terms: 1))
            #expect(log.nextUnstableEnts().map(\.index) == [3])
            log.stableTo(EntryID(term: 1, index: 3))
            #expect(!log.hasNextOrInProgressUnstableEnts())
            log.checkInvariants()
        }

        /// The hot path copies nothing: a follower adopts the message's entries, and the next Ready
        /// gets the unstable array itself.
        @Test func unstableEntriesAreSharedNotCopied() throws {
            func base(_ a: [Entry]) -> UnsafeRawPointer? { a.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) } }
            let log = RaftLog(storage: MemoryStorage(), logger: DiscardLogger())
            let incoming = F.entries(at: 1, terms: 1, 1, 1)
            #expect(try log.maybeAppend(index: 0, logTerm: 0, committed: 0, entries: incoming) == 3)
            #expect(base(log.unstable.entries) == base(incoming))
            let ready = log.nextUnstableEnts()
            #expect(base(ready) == base(log.unstable.entries))
            log.acceptUnstable()
            log.stableTo(EntryID(term: 1, index: 3))
            #expect(log.unstable.entries.isEmpty && log.unstable.offset == 4)
            #expect(ready == incoming)  // what was handed out is unaffected
            log.checkInvariants()
        }

        /// etcd: TestStableTo.
        @Test(arguments: [
            (UInt64(1), UInt64(1), UInt64(2)),
            (2, 2, 3),
            (2, 1, 1),  // wrong term
            (3, 1, 1),  // beyond the log
        ])
        func stableTo(index: UInt64, term: UInt64, wantOffset: UInt64) throws {
            let log = try Self.log(appending: F.entries(at: 1, terms: 1, 2))
            log.stableTo(EntryID(term: term, index: index))
            #expect(log.unstable.offset == wantOffset)
            log.checkInvariants()
        }

        static let snapIndex: UInt64 = 5
        static let snapTerm: UInt64 = 2

        /// etcd: TestStableToWithSnap.
        @Test(arguments: [
            (snapIndex + 1, snapTerm, false, snapIndex + 1),
            (snapIndex, snapTerm, false, snapIndex + 1),
            (snapIndex - 1, snapTerm, false, snapIndex + 1),
            (snapIndex + 1, snapTerm + 1, false, snapIndex + 1),
            (snapIndex, snapTerm + 1, false, snapIndex + 1),
            (snapIndex - 1, snapTerm + 1, false, snapIndex + 1),
            (snapIndex + 1, snapTerm, true, snapIndex + 2),
            (snapIndex, snapTerm, true, snapIndex + 1),
            (snapIndex - 1, snapTerm, true, snapIndex + 1),
            (snapIndex + 1, snapTerm + 1, true, snapIndex + 1),
            (snapIndex, snapTerm + 1, true, snapIndex + 1),
            (snapIndex - 1, snapTerm + 1, true, snapIndex + 1),
        ])
        func stableToWithSnapshot(index: UInt64, term: UInt64, withEntry: Bool, wantOffset: UInt64) throws {
            let storage = try F.storage(snapshotAt: Self.snapIndex, term: Self.snapTerm)
            let log = RaftLog(storage: storage, logger: DiscardLogger())
            if withEntry { try log.append(F.entries(at: Self.snapIndex + 1, terms: Self.snapTerm)) }
            log.stableTo(EntryID(term: term, index: index))
            #expect(log.unstable.offset == wantOffset)
            log.checkInvariants()
        }

        // MARK: - Snapshots

        /// etcd: TestLogRestore.
        @Test func newLogStartsAtTheSnapshot() throws {
            let storage = try F.storage(snapshotAt: 1000, term: 1000)
            let log = RaftLog(storage: storage, logger: DiscardLogger())
            #expect(log.allEntries().isEmpty)
            #expect(log.firstIndex() == 1001)
            #expect(log.committed == 1000 && log.applied == 1000 && log.applying == 1000)
            #expect(log.unstable.offset == 1001)
            #expect(try log.term(1000) == 1000)
            log.checkInvariants()
        }

        @Test func restoreLogsEtcdsLineAndResets() throws {
            let recorder = CapturingLogger()
            let storage = MemoryStorage()
            let log = RaftLog(storage: storage, logger: recorder)
            #expect(log.description
                == "committed=0, applied=0, applying=0, unstable.offset=1, unstable.offsetInProgress=1, len(unstable.Entries)=0")
            let snap = F.snapshot(index: 4, term: 1)
            log.restore(snap)
            #expect(recorder.lines == [
                "INFO log [committed=0, applied=0, applying=0, unstable.offset=1, unstable.offsetInProgress=1, len(unstable.Entries)=0] starts to restore snapshot [index: 4, term: 1]"
            ])
            #expect(log.committed == 4 && log.lastIndex() == 4 && log.firstIndex() == 5)
            #expect(log.lastEntryID() == EntryID(term: 1, index: 4))
            #expect(try log.snapshot() == snap)
            #expect(log.hasNextUnstableSnapshot() && log.hasNextOrInProgressSnapshot())
            log.acceptUnstable()
            #expect(!log.hasNextUnstableSnapshot() && log.hasNextOrInProgressSnapshot())
            #expect(log.nextUnstableSnapshot() == nil)
            // The application writes the snapshot, then reports it.
            try storage.applySnapshot(snap)
            log.stableSnapTo(4)
            #expect(!log.hasNextOrInProgressSnapshot())
            #expect(log.lastEntryID() == EntryID(term: 1, index: 4) && log.firstIndex() == 5)
            log.checkInvariants()
        }

        @Test func snapshotPassesStorageErrorsOn() throws {
            final class Busy: Storage {
                let inner = MemoryStorage()
                func initialState() throws(StorageError) -> (HardState, ConfState) { inner.initialState() }
                func entries(_ lo: UInt64, _ hi: UInt64, maxSize: UInt64) throws(StorageError) -> [Entry] {
                    try inner.entries(lo, hi, maxSize: maxSize)
                }
                func term(_ i: UInt64) throws(StorageError) -> UInt64 { try inner.term(i) }
                func lastIndex() throws(StorageError) -> UInt64 { inner.lastIndex() }
                func firstIndex() throws(StorageError) -> UInt64 { inner.firstIndex() }
                func snapshot() throws(StorageError) -> Snapshot { throw StorageError.snapshotTemporarilyUnavailable }
            }
            let log = RaftLog(storage: Busy(), logger: DiscardLogger())
            #expect(throws: StorageError.snapshotTemporarilyUnavailable) { try log.snapshot() }
        }

        // MARK: - Bounds, terms and slices

        /// etcd: TestIsOutOfBounds.
        @Test(arguments: [
            (UInt64(99), UInt64(102), StorageError?.some(.compacted)),
            (100, 102, .compacted),
            (101, 101, nil),
            (151, 151, nil),
            (200, 200, nil),
            (201, 201, nil),
            (201, 202, .invalidIndex("slice[201,202) out of bound [101,200]")),
            (202, 202, .invalidIndex("slice[202,202) out of bound [101,200]")),
            (150, 149, .invalidIndex("invalid slice 150 > 149")),
        ])
        func checkOutOfBounds(lo: UInt64, hi: UInt64, error: StorageError?) throws {
            let storage = try F.storage(snapshotAt: 100, term: 0)
            let log = RaftLog(storage: storage, logger: DiscardLogger())
            try log.append(F.selfTermed(101..<201))
            if let error {
                #expect(throws: error) { try log.checkOutOfBounds(lo, hi) }
            } else {
                #expect(throws: Never.self) { try log.checkOutOfBounds(lo, hi) }
            }
        }

        /// etcd: TestTerm.
        @Test(arguments: [
            (UInt64(99), StorageError?.some(.compacted), UInt64(0)),
            (100, nil, 1),
            (150, nil, 50),
            (199, nil, 99),
            (200, .unavailable, 0),
            (.max, .compacted, 0),
        ])
        func term(index: UInt64, error: StorageError?, want: UInt64) throws {
            let storage = try F.storage(snapshotAt: 100, term: 1)
            let log = RaftLog(storage: storage, logger: DiscardLogger())
            try log.append(F.entries(at: 101, termRange: 1..<100))
            if let error {
                #expect(throws: error) { try log.term(index) }
                #expect(log.zeroTermOnOutOfBounds(index) == 0)
            } else {
                #expect(try log.term(index) == want)
                #expect(log.zeroTermOnOutOfBounds(index) == want)
            }
        }

        /// etcd: TestTermWithUnstableSnapshot.
        @Test(arguments: [
            // Not in storage any more.
            (UInt64(100), StorageError?.some(.compacted), UInt64(0)),
            // In the gap between storage and the unstable snapshot.
            (101, .compacted, 0),
            (104, .compacted, 0),
            // The unstable snapshot's own index.
            (105, nil, 1),
            // Nothing after it yet.
            (106, .unavailable, 0),
        ])
        func termWithUnstableSnapshot(index: UInt64, error: StorageError?, want: UInt64) throws {
            let storage = try F.storage(snapshotAt: 100, term: 1)
            let log = RaftLog(storage: storage, logger: DiscardLogger())
            log.restore(F.snapshot(index: 105, term: 1))
            if let error {
                #expect(throws: error) { try log.term(index) }
            } else {
                #expect(try log.term(index) == want)
            }
        }

        struct SliceCase: Sendable, CustomTestStringConvertible {
            var lo: UInt64
            var hi: UInt64
            var limit: UInt64
            var want: Range<UInt64>?  // nil: an error is expected
            var testDescription: String { "[\(lo), \(hi)) limit \(limit)" }
        }

        // Storage: snapshot at 100, entries 101..<150; unstable: 150..<200. Terms equal indexes.
        static let sliceOffset: UInt64 = 100
        static let sliceHalf: UInt64 = 150
        static let sliceLast: UInt64 = 200
        static let halfSize = UInt64(Entry(term: 150, index: 150).encodedSize)

        static let sliceCases: [SliceCase] = {
            let (o, h, l, s) = (sliceOffset, sliceHalf, sliceLast, halfSize)
            return [
                // Compacted.
                SliceCase(lo: o - 1, hi: o + 1, limit: noLimit, want: nil),
                SliceCase(lo: o, hi: o + 1, limit: noLimit, want: nil),
                // Inverted, and beyond the last entry.
                SliceCase(lo: h, hi: h - 1, limit: noLimit, want: nil),
                SliceCase(lo: l, hi: l + 1, limit: noLimit, want: nil),
                // No limit.
                SliceCase(lo: o + 1, hi: o + 1, limit: noLimit, want: (o + 1)..<(o + 1)),
                SliceCase(lo: o + 1, hi: h - 1, limit: noLimit, want: (o + 1)..<(h - 1)),
                SliceCase(lo: o + 1, hi: h, limit: noLimit, want: (o + 1)..<h),
                SliceCase(lo: o + 1, hi: h + 1, limit: noLimit, want: (o + 1)..<(h + 1)),
                SliceCase(lo: o + 1, hi: l, limit: noLimit, want: (o + 1)..<l),
                SliceCase(lo: h - 1, hi: h, limit: noLimit, want: (h - 1)..<h),
                SliceCase(lo: h - 1, hi: h + 1, limit: noLimit, want: (h - 1)..<(h + 1)),
                SliceCase(lo: h - 1, hi: l, limit: noLimit, want: (h - 1)..<l),
                SliceCase(lo: h, hi: h + 1, limit: noLimit, want: h..<(h + 1)),
                SliceCase(lo: h, hi: l, limit: noLimit, want: h..<l),
                SliceCase(lo: l - 1, hi: l, limit: noLimit, want: (l - 1)..<l),
                // At least one entry.
                SliceCase(lo: o + 1, hi: l, limit: 0, want: (o + 1)..<(o + 2)),
                SliceCase(lo: h - 1, hi: h + 1, limit: 0, want: (h - 1)..<h),
                SliceCase(lo: h, hi: l, limit: 0, want: h..<(h + 1)),
                SliceCase(lo: h + 1, hi: l, limit: 0, want: (h + 1)..<(h + 2)),
                // Less than one entry.
                SliceCase(lo: o + 1, hi: l, limit: s - 1, want: (o + 1)..<(o + 2)),
                SliceCase(lo: h - 1, hi: h + 1, limit: s - 1, want: (h - 1)..<h),
                SliceCase(lo: h, hi: l, limit: s - 1, want: h..<(h + 1)),
                // Exactly one.
                SliceCase(lo: o + 1, hi: l, limit: s, want: (o + 1)..<(o + 2)),
                SliceCase(lo: h - 1, hi: h + 1, limit: s, want: (h - 1)..<h),
                SliceCase(lo: h, hi: l, limit: s, want: h..<(h + 1)),
                // Not enough for two.
                SliceCase(lo: o + 1, hi: l, limit: s + 1, want: (o + 1)..<(o + 2)),
                SliceCase(lo: h - 1, hi: h + 1, limit: s + 1, want: (h - 1)..<h),
                SliceCase(lo: h, hi: l, limit: s + 1, want: h..<(h + 1)),
                // Enough for two.
                // (Entries below index 128 are 2 bytes smaller: 12 bytes hold three of them.)
                SliceCase(lo: o + 1, hi: l, limit: s * 2, want: (o + 1)..<(o + 4)),
                SliceCase(lo: h - 2, hi: h + 1, limit: s * 2, want: (h - 2)..<h),
                SliceCase(lo: h - 1, hi: h + 1, limit: s * 2, want: (h - 1)..<(h + 1)),
                SliceCase(lo: h, hi: l, limit: s * 2, want: h..<(h + 2)),
                // Not enough for three.
                SliceCase(lo: h - 2, hi: h + 1, limit: s * 3 - 1, want: (h - 2)..<h),
                // Enough for three.
                SliceCase(lo: h - 1, hi: h + 2, limit: s * 3, want: (h - 1)..<(h + 2)),
            ]
        }()

        static func sliceLog() throws -> RaftLog {
            let storage = try F.storage(
                snapshotAt: sliceOffset, term: 0, entries: F.selfTermed((sliceOffset + 1)..<sliceHalf))
            let log = RaftLog(storage: storage, logger: DiscardLogger())
            try log.append(F.selfTermed(sliceHalf..<sliceLast))
            log.checkInvariants()
            return log
        }

        /// etcd: TestSlice.
        @Test(arguments: sliceCases)
        func slice(_ c: SliceCase) throws {
            let log = try Self.sliceLog()
            if let want = c.want {
                #expect(try log.slice(c.lo, c.hi, maxSize: EntryEncodingSize(c.limit)) == F.selfTermed(want))
            } else if c.lo <= Self.sliceOffset {
                #expect(throws: StorageError.compacted) { try log.slice(c.lo, c.hi, maxSize: EntryEncodingSize(c.limit)) }
            } else {
                let error = #expect(throws: StorageError.self) { try log.slice(c.lo, c.hi, maxSize: EntryEncodingSize(c.limit)) }
                guard case .invalidIndex = error else {
                    Issue.record("expected .invalidIndex, got \(String(describing: error))")
                    return
                }
            }
        }

        @Test func entriesAndAllEntries() throws {
            let log = try Self.sliceLog()
            #expect(try log.entries(from: 201, maxSize: .unlimited).isEmpty)
            #expect(try log.entries(from: 199, maxSize: .unlimited) == F.selfTermed(199..<200))
            #expect(try log.entries(from: 101, maxSize: 0) == F.selfTermed(101..<102))
            #expect(throws: StorageError.compacted) { try log.entries(from: 100, maxSize: .unlimited) }
            #expect(log.allEntries() == F.selfTermed(101..<200))
        }

        /// etcd: TestScan.
        @Test func scanMatchesSlice() throws {
            // Storage: snapshot at 47, entries 48..<57; unstable: 57..<67.
            let offset: UInt64 = 47
            let half: UInt64 = 57
            let last: UInt64 = 67
            let storage = try F.storage(snapshotAt: offset, term: 0, entries: F.selfTermed((offset + 1)..<half))
            let log = RaftLog(storage: storage, logger: DiscardLogger())
            try log.append(F.selfTermed(half..<last))
            let entrySize = entsSize(F.selfTermed(half..<(half + 1)))

            for pageSize in [0, 1, 10, 100, entrySize, entrySize + 1] {
                for lo in (offset + 1)..<last {
                    for hi in lo...last {
                        var got: [Entry] = []
                        var pagesOK = true
                        try log.scan(lo, hi, pageSize: pageSize) { page in
                            got += page
                            if page.count != 1 && entsSize(page) > pageSize { pagesOK = false }
                        }
                        #expect(pagesOK, "page over \(pageSize) bytes in [\(lo), \(hi))")
                        #expect(try got == log.slice(lo, hi, maxSize: .unlimited), "[\(lo), \(hi)) @ \(pageSize)")
                    }
                }
            }

            struct Stop: Error {}
            var visits = 0
            #expect(throws: Stop.self) {
                try log.scan(offset + 1, half, pageSize: 0) { _ in
                    visits += 1
                    if visits == 2 { throw Stop() }
                }
            }
            #expect(visits == 2)

            // Pages are filled up to the limit, not one entry at a time.
            try log.scan(offset + 1, offset + 11, pageSize: entrySize + entrySize) { page in
                #expect(page.count == 2)
                #expect(entsSize(page) == entrySize + entrySize)
            }

            #expect(throws: StorageError.compacted) { try log.scan(offset, half, pageSize: 0) { _ in } }
        }

        @Test func sizeLimitAgreesWithWireLimit() {
            let ents = (1...20).map { Entry(term: 1, index: UInt64($0), data: Array(repeating: 7, count: $0 % 5)) }
            for limit in UInt64(0)...200 {
                let viaCount = ents[...].limitedArray(encodedSize: EntryEncodingSize(limit))
                #expect(viaCount == limitSize(ents, EntryEncodingSize(limit)), "limit \(limit)")
            }
            #expect([Entry]()[...].limitedArray(encodedSize: 0).isEmpty)
        }

        // MARK: - Bad indexes never trap

        /// Every call that takes an index from outside (a message, the application) answers a bad
        /// one with a typed error and leaves the log as it was.
        @Test func badIndexesThrowTypedErrors() throws {
            let storage = try F.storage(snapshotAt: 10, term: 2, entries: F.entries(at: 11, terms: 2, 2))
            let log = RaftLog(storage: storage, logger: DiscardLogger())
            try log.append(F.entries(at: 13, terms: 3, 3))
            try log.commitTo(12)
            let before = log.allEntries()
            let state = log.description

            let attempts: [(String, () throws(StorageError) -> Void)] = [
                ("commitTo past last", { () throws(StorageError) in try log.commitTo(.max) }),
                ("appliedTo past commit", { () throws(StorageError) in try log.appliedTo(.max, size: 0) }),
                ("acceptApplying past commit", { () throws(StorageError) in try log.acceptApplying(.max, size: 0, allowUnstable: true) }),
                ("append over committed", { () throws(StorageError) in try log.append(F.entries(at: 5, terms: 9)) }),
                ("append with gap", { () throws(StorageError) in try log.append(F.entries(at: 99, terms: 9)) }),
                ("append at index 0", { () throws(StorageError) in try log.append([Entry(term: 9, index: 0)]) }),
                ("append to UInt64.max", { () throws(StorageError) in try log.append([Entry(term: 9, index: .max)]) }),
                ("maybeAppend conflict with committed", { () throws(StorageError) in
                    _ = try log.maybeAppend(index: 10, logTerm: 2, committed: 20, entries: F.entries(at: 11, terms: 9)) }),
                ("maybeAppend misplaced", { () throws(StorageError) in
                    _ = try log.maybeAppend(index: 10, logTerm: 2, committed: 20, entries: F.entries(at: 30, terms: 9)) }),
                ("maybeAppend at UInt64.max", { () throws(StorageError) in
                    _ = try log.maybeAppend(index: .max, logTerm: 2, committed: .max, entries: F.entries(at: 0, terms: 9)) }),
                ("slice inverted", { () throws(StorageError) in _ = try log.slice(14, 12, maxSize: .unlimited) }),
                ("slice past last", { () throws(StorageError) in _ = try log.slice(12, .max, maxSize: .unlimited) }),
                ("slice compacted", { () throws(StorageError) in _ = try log.slice(0, 12, maxSize: .unlimited) }),
                ("entries compacted", { () throws(StorageError) in _ = try log.entries(from: 1, maxSize: .unlimited) }),
                ("term far away", { () throws(StorageError) in _ = try log.term(.max) }),
                ("term compacted", { () throws(StorageError) in _ = try log.term(0) }),
                ("unstable slice", { () throws(StorageError) in _ = try log.unstable.slice(0, .max) }),
                ("storage entries past last", { () throws(StorageError) in _ = try storage.entries(11, .max, maxSize: noLimit) }),
                ("storage entries compacted", { () throws(StorageError) in _ = try storage.entries(0, 12, maxSize: noLimit) }),
                ("storage term", { () throws(StorageError) in _ = try storage.term(.max) }),
                ("storage compact past last", { () throws(StorageError) in try storage.compact(.max) }),
                ("storage snapshot past last", { () throws(StorageError) in _ = try storage.createSnapshot(.max, confState: nil, data: []) }),
                ("storage append with gap", { () throws(StorageError) in try storage.append(F.entries(at: 50, terms: 9)) }),
            ]
            for (name, attempt) in attempts {
                #expect(throws: StorageError.self, "\(name)") { try attempt() }
            }
            #expect(log.allEntries() == before)
            #expect(log.description == state)
            #expect(storage.lastIndex() == 12 && storage.firstIndex() == 11)
            #expect(log.matchTerm(EntryID(term: 3, index: .max)) == false)
            #expect(log.findConflictByTerm(index: .max, term: 9) == (index: .max, term: 0))
            #expect(log.isUpToDate(EntryID(term: 3, index: .max)))
            log.checkInvariants()
        }
    }
}
