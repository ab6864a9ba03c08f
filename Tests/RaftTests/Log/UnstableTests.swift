import RaftTesting
import Testing
@testable import Raft

extension LogLayerTests {
    /// The unstable tail on its own: index and term lookups, the in-progress bookkeeping of
    /// asynchronous writes, and the three ways new entries land (append, replace, truncate).
    @Suite struct UnstableTests {
        typealias F = LogFixture
        static let snap4 = F.snapshot(index: 4, term: 1)

        struct LookupCase: Sendable, CustomTestStringConvertible {
            var entries: [Entry]
            var offset: UInt64
            var snapshot: Snapshot?
            var index: UInt64 = 0
            var want: UInt64?
            var testDescription: String {
                "entries \(entries.map(\.id)) offset \(offset) snap \(snapshot?.metadata.index.description ?? "-") at \(index)"
            }
        }

        /// etcd: TestUnstableMaybeFirstIndex.
        @Test(arguments: [
            LookupCase(entries: F.entries(at: 5, terms: 1), offset: 5, snapshot: nil, want: nil),
            LookupCase(entries: [], offset: 0, snapshot: nil, want: nil),
            LookupCase(entries: F.entries(at: 5, terms: 1), offset: 5, snapshot: snap4, want: 5),
            LookupCase(entries: [], offset: 5, snapshot: snap4, want: 5),
        ])
        func maybeFirstIndex(_ c: LookupCase) {
            let u = Unstable(snapshot: c.snapshot, entries: c.entries, offset: c.offset, logger: DiscardLogger())
            u.checkInvariants()
            #expect(u.maybeFirstIndex() == c.want)
        }

        /// etcd: TestMaybeLastIndex.
        @Test(arguments: [
            LookupCase(entries: F.entries(at: 5, terms: 1), offset: 5, snapshot: nil, want: 5),
            LookupCase(entries: F.entries(at: 5, terms: 1), offset: 5, snapshot: snap4, want: 5),
            LookupCase(entries: [], offset: 5, snapshot: snap4, want: 4),
            LookupCase(entries: [], offset: 0, snapshot: nil, want: nil),
        ])
        func maybeLastIndex(_ c: LookupCase) {
            let u = Unstable(snapshot: c.snapshot, entries: c.entries, offset: c.offset, logger: DiscardLogger())
            u.checkInvariants()
            #expect(u.maybeLastIndex() == c.want)
        }

        /// etcd: TestUnstableMaybeTerm.
        @Test(arguments: [
            // From the entries.
            LookupCase(entries: F.entries(at: 5, terms: 1), offset: 5, snapshot: nil, index: 5, want: 1),
            LookupCase(entries: F.entries(at: 5, terms: 1), offset: 5, snapshot: nil, index: 6, want: nil),
            LookupCase(entries: F.entries(at: 5, terms: 1), offset: 5, snapshot: nil, index: 4, want: nil),
            LookupCase(entries: F.entries(at: 5, terms: 1), offset: 5, snapshot: snap4, index: 5, want: 1),
            LookupCase(entries: F.entries(at: 5, terms: 1), offset: 5, snapshot: snap4, index: 6, want: nil),
            // From the snapshot.
            LookupCase(entries: F.entries(at: 5, terms: 1), offset: 5, snapshot: snap4, index: 4, want: 1),
            LookupCase(entries: F.entries(at: 5, terms: 1), offset: 5, snapshot: snap4, index: 3, want: nil),
            LookupCase(entries: [], offset: 5, snapshot: snap4, index: 5, want: nil),
            LookupCase(entries: [], offset: 5, snapshot: snap4, index: 4, want: 1),
            LookupCase(entries: [], offset: 0, snapshot: nil, index: 5, want: nil),
        ])
        func maybeTerm(_ c: LookupCase) {
            let u = Unstable(snapshot: c.snapshot, entries: c.entries, offset: c.offset, logger: DiscardLogger())
            #expect(u.maybeTerm(c.index) == c.want)
        }

        /// etcd: TestUnstableRestore.
        @Test func restoreReplacesEverything() {
            let u = Unstable(
                snapshot: Self.snap4, entries: F.entries(at: 5, terms: 1), offset: 5, offsetInProgress: 6,
                snapshotInProgress: true, logger: DiscardLogger())
            u.checkInvariants()
            let s = F.snapshot(index: 6, term: 2)
            u.restore(s)
            u.checkInvariants()
            #expect(u.offset == 7)
            #expect(u.offsetInProgress == 7)
            #expect(u.entries.isEmpty)
            #expect(u.snapshot == s)
            #expect(!u.snapshotInProgress)
        }

        /// etcd: TestUnstableNextEntries.
        @Test(arguments: [
            (5, [5, 6]),  // nothing in progress
            (6, [6]),  // partly in progress
            (7, []),  // all in progress
        ] as [(UInt64, [UInt64])])
        func nextEntries(offsetInProgress: UInt64, want: [UInt64]) {
            let u = Unstable(
                entries: F.entries(at: 5, terms: 1, 1), offset: 5, offsetInProgress: offsetInProgress,
                logger: DiscardLogger())
            u.checkInvariants()
            #expect(u.nextEntries().map(\.index) == want)
        }

        /// etcd: TestUnstableNextSnapshot.
        @Test func nextSnapshotSkipsInProgress() {
            #expect(Unstable(offset: 1, logger: DiscardLogger()).nextSnapshot() == nil)
            let pending = Unstable(snapshot: Self.snap4, offset: 5, logger: DiscardLogger())
            #expect(pending.nextSnapshot() == Self.snap4)
            let writing = Unstable(snapshot: Self.snap4, offset: 5, snapshotInProgress: true, logger: DiscardLogger())
            #expect(writing.nextSnapshot() == nil)
        }

        struct AcceptCase: Sendable {
            var entryCount: Int
            var snapshot: Bool
            var offsetInProgress: UInt64
            var snapshotInProgress: Bool
            var wantOffsetInProgress: UInt64
        }

        static let acceptCases: [AcceptCase] = {
            var cases: [AcceptCase] = []
            // (entries from index 5, in progress up to) -> in progress after
            let shapes: [(Int, UInt64, UInt64)] = [(0, 5, 5), (1, 5, 6), (2, 5, 7), (2, 6, 7), (2, 7, 7)]
            for (count, inProgress, want) in shapes {
                cases.append(AcceptCase(entryCount: count, snapshot: false, offsetInProgress: inProgress, snapshotInProgress: false, wantOffsetInProgress: want))
                cases.append(AcceptCase(entryCount: count, snapshot: true, offsetInProgress: inProgress, snapshotInProgress: false, wantOffsetInProgress: want))
                cases.append(AcceptCase(entryCount: count, snapshot: true, offsetInProgress: inProgress, snapshotInProgress: true, wantOffsetInProgress: want))
            }
            return cases
        }()

        /// etcd: TestUnstableAcceptInProgress.
        @Test(arguments: acceptCases)
        func acceptInProgress(_ c: AcceptCase) {
            let u = Unstable(
                snapshot: c.snapshot ? Self.snap4 : nil,
                entries: F.entries(at: 5, termList: Array(repeating: 1, count: c.entryCount)),
                offset: 5, offsetInProgress: c.offsetInProgress, snapshotInProgress: c.snapshotInProgress,
                logger: DiscardLogger())
            u.checkInvariants()
            u.acceptInProgress()
            u.checkInvariants()
            #expect(u.offsetInProgress == c.wantOffsetInProgress)
            #expect(u.snapshotInProgress == c.snapshot)
            #expect(u.nextEntries().isEmpty)
            #expect(u.nextSnapshot() == nil)
        }

        struct StableCase: Sendable, CustomTestStringConvertible {
            var entries: [Entry]
            var offset: UInt64
            var offsetInProgress: UInt64
            var snapshot: Snapshot?
            var stable: EntryID
            var wantOffset: UInt64
            var wantOffsetInProgress: UInt64
            var wantCount: Int
            var wantLine: String?
            var testDescription: String { "entries \(entries.map(\.id)) stableTo \(stable)" }
        }

        /// etcd: TestUnstableStableTo.
        @Test(arguments: [
            StableCase(entries: [], offset: 0, offsetInProgress: 0, snapshot: nil, stable: .init(term: 1, index: 5),
                       wantOffset: 0, wantOffsetInProgress: 0, wantCount: 0,
                       wantLine: "INFO entry at index 5 missing from unstable log; ignoring"),
            StableCase(entries: F.entries(at: 5, terms: 1), offset: 5, offsetInProgress: 6, snapshot: nil,
                       stable: .init(term: 1, index: 5), wantOffset: 6, wantOffsetInProgress: 6, wantCount: 0),
            StableCase(entries: F.entries(at: 5, terms: 1, 1), offset: 5, offsetInProgress: 6, snapshot: nil,
                       stable: .init(term: 1, index: 5), wantOffset: 6, wantOffsetInProgress: 6, wantCount: 1),
            // In progress beyond what became stable.
            StableCase(entries: F.entries(at: 5, terms: 1, 1), offset: 5, offsetInProgress: 7, snapshot: nil,
                       stable: .init(term: 1, index: 5), wantOffset: 6, wantOffsetInProgress: 7, wantCount: 1),
            // Term mismatch: the entry was replaced while being written.
            StableCase(entries: F.entries(at: 6, terms: 2), offset: 6, offsetInProgress: 7, snapshot: nil,
                       stable: .init(term: 1, index: 6), wantOffset: 6, wantOffsetInProgress: 7, wantCount: 1,
                       wantLine: "INFO entry at (index,term)=(6,1) mismatched with entry at (6,2) in unstable log; ignoring"),
            // Already stable.
            StableCase(entries: F.entries(at: 5, terms: 1), offset: 5, offsetInProgress: 6, snapshot: nil,
                       stable: .init(term: 1, index: 4), wantOffset: 5, wantOffsetInProgress: 6, wantCount: 1,
                       wantLine: "INFO entry at index 4 missing from unstable log; ignoring"),
            StableCase(entries: F.entries(at: 5, terms: 1), offset: 5, offsetInProgress: 6, snapshot: nil,
                       stable: .init(term: 2, index: 4), wantOffset: 5, wantOffsetInProgress: 6, wantCount: 1),
            // With a snapshot.
            StableCase(entries: F.entries(at: 5, terms: 1), offset: 5, offsetInProgress: 6, snapshot: snap4,
                       stable: .init(term: 1, index: 5), wantOffset: 6, wantOffsetInProgress: 6, wantCount: 0),
            StableCase(entries: F.entries(at: 5, terms: 1, 1), offset: 5, offsetInProgress: 6, snapshot: snap4,
                       stable: .init(term: 1, index: 5), wantOffset: 6, wantOffsetInProgress: 6, wantCount: 1),
            StableCase(entries: F.entries(at: 5, terms: 1, 1), offset: 5, offsetInProgress: 7, snapshot: snap4,
                       stable: .init(term: 1, index: 5), wantOffset: 6, wantOffsetInProgress: 7, wantCount: 1),
            StableCase(entries: F.entries(at: 6, terms: 2), offset: 6, offsetInProgress: 7,
                       snapshot: F.snapshot(index: 5, term: 1),
                       stable: .init(term: 1, index: 6), wantOffset: 6, wantOffsetInProgress: 7, wantCount: 1),
            // The index of the snapshot itself.
            StableCase(entries: F.entries(at: 5, terms: 1), offset: 5, offsetInProgress: 6, snapshot: snap4,
                       stable: .init(term: 1, index: 4), wantOffset: 5, wantOffsetInProgress: 6, wantCount: 1,
                       wantLine: "INFO entry at index 4 matched unstable snapshot; ignoring"),
            StableCase(entries: F.entries(at: 5, terms: 2), offset: 5, offsetInProgress: 6,
                       snapshot: F.snapshot(index: 4, term: 2),
                       stable: .init(term: 1, index: 4), wantOffset: 5, wantOffsetInProgress: 6, wantCount: 1),
        ])
        func stableTo(_ c: StableCase) {
            let recorder = CapturingLogger()
            let u = Unstable(
                snapshot: c.snapshot, entries: c.entries, offset: c.offset, offsetInProgress: c.offsetInProgress,
                logger: recorder)
            u.checkInvariants()
            u.stableTo(c.stable)
            u.checkInvariants()
            #expect(u.offset == c.wantOffset)
            #expect(u.offsetInProgress == c.wantOffsetInProgress)
            #expect(u.entries.count == c.wantCount)
            if let line = c.wantLine { #expect(recorder.lines == [line]) }
        }

        /// Once everything is written the buffer is released, whatever its size, and the next
        /// append into the empty log adopts the appended array without a copy.
        @Test func stableToReleasesTheBuffer() {
            let burst = 2000
            let u = Unstable(entries: F.selfTermed(1..<UInt64(burst + 1)), offset: 1, logger: DiscardLogger())
            u.stableTo(EntryID(term: UInt64(burst), index: UInt64(burst)))
            #expect(u.entries.isEmpty && u.entries.capacity == 0)
            #expect(u.offset == UInt64(burst + 1))

            let next = F.selfTermed(UInt64(burst + 1)..<UInt64(burst + 3))
            #expect(throws: Never.self) { try u.truncateAndAppend(next) }
            #expect(u.entries == next)
            u.checkInvariants()
        }

        struct AppendCase: Sendable, CustomTestStringConvertible {
            var entries: [Entry]
            var offsetInProgress: UInt64
            var append: [Entry]
            var wantOffset: UInt64
            var wantOffsetInProgress: UInt64
            var want: [Entry]
            var wantLines: [String]
            var testDescription: String { "\(entries.map(\.id)) in progress to \(offsetInProgress) + \(append.map(\.id))" }
        }

        /// etcd: TestUnstableTruncateAndAppend.
        @Test(arguments: [
            // Append after the last entry.
            AppendCase(entries: F.entries(at: 5, terms: 1), offsetInProgress: 5, append: F.entries(at: 6, terms: 1, 1),
                       wantOffset: 5, wantOffsetInProgress: 5, want: F.entries(at: 5, terms: 1, 1, 1), wantLines: []),
            AppendCase(entries: F.entries(at: 5, terms: 1), offsetInProgress: 6, append: F.entries(at: 6, terms: 1, 1),
                       wantOffset: 5, wantOffsetInProgress: 6, want: F.entries(at: 5, terms: 1, 1, 1), wantLines: []),
            // Replace all the unstable entries.
            AppendCase(entries: F.entries(at: 5, terms: 1), offsetInProgress: 5, append: F.entries(at: 5, terms: 2, 2),
                       wantOffset: 5, wantOffsetInProgress: 5, want: F.entries(at: 5, terms: 2, 2),
                       wantLines: ["INFO replace the unstable entries from index 5"]),
            AppendCase(entries: F.entries(at: 5, terms: 1), offsetInProgress: 5, append: F.entries(at: 4, terms: 2, 2, 2),
                       wantOffset: 4, wantOffsetInProgress: 4, want: F.entries(at: 4, terms: 2, 2, 2),
                       wantLines: ["INFO replace the unstable entries from index 4"]),
            AppendCase(entries: F.entries(at: 5, terms: 1), offsetInProgress: 6, append: F.entries(at: 5, terms: 2, 2),
                       wantOffset: 5, wantOffsetInProgress: 5, want: F.entries(at: 5, terms: 2, 2),
                       wantLines: ["INFO replace the unstable entries from index 5"]),
            // Keep a prefix, then append.
            AppendCase(entries: F.entries(at: 5, terms: 1, 1, 1), offsetInProgress: 5, append: F.entries(at: 6, terms: 2),
                       wantOffset: 5, wantOffsetInProgress: 5, want: F.entries(at: 5, terms: 1, 2),
                       wantLines: ["INFO truncate the unstable entries before index 6"]),
            AppendCase(entries: F.entries(at: 5, terms: 1, 1, 1), offsetInProgress: 5, append: F.entries(at: 7, terms: 2, 2),
                       wantOffset: 5, wantOffsetInProgress: 5, want: F.entries(at: 5, terms: 1, 1, 2, 2),
                       wantLines: ["INFO truncate the unstable entries before index 7"]),
            AppendCase(entries: F.entries(at: 5, terms: 1, 1, 1), offsetInProgress: 6, append: F.entries(at: 6, terms: 2),
                       wantOffset: 5, wantOffsetInProgress: 6, want: F.entries(at: 5, terms: 1, 2),
                       wantLines: ["INFO truncate the unstable entries before index 6"]),
            AppendCase(entries: F.entries(at: 5, terms: 1, 1, 1), offsetInProgress: 7, append: F.entries(at: 6, terms: 2),
                       wantOffset: 5, wantOffsetInProgress: 6, want: F.entries(at: 5, terms: 1, 2),
                       wantLines: ["INFO truncate the unstable entries before index 6"]),
        ])
        func truncateAndAppend(_ c: AppendCase) throws {
            let recorder = CapturingLogger()
            let u = Unstable(entries: c.entries, offset: 5, offsetInProgress: c.offsetInProgress, logger: recorder)
            u.checkInvariants()
            try u.truncateAndAppend(c.append)
            u.checkInvariants()
            #expect(u.offset == c.wantOffset)
            #expect(u.offsetInProgress == c.wantOffsetInProgress)
            #expect(u.entries == c.want)
            #expect(recorder.lines == c.wantLines)
        }

        @Test func truncateAndAppendEmptyAndGap() {
            let u = Unstable(entries: F.entries(at: 5, terms: 1), offset: 5, logger: DiscardLogger())
            #expect(throws: Never.self) { try u.truncateAndAppend([]) }
            #expect(u.entries == F.entries(at: 5, terms: 1))
            #expect(throws: StorageError.invalidIndex("unstable.slice[5,7) out of bound [5,6]")) {
                try u.truncateAndAppend(F.entries(at: 7, terms: 1))
            }
            #expect(u.entries == F.entries(at: 5, terms: 1))
            u.checkInvariants()
        }

        @Test func sliceBounds() throws {
            let u = Unstable(entries: F.entries(at: 5, terms: 1, 2, 3), offset: 5, logger: DiscardLogger())
            #expect(try u.slice(5, 8).map(\.term) == [1, 2, 3])
            #expect(try u.slice(6, 7).map(\.term) == [2])
            #expect(try u.slice(8, 8).isEmpty)
            #expect(throws: StorageError.invalidIndex("invalid unstable.slice 7 > 6")) { try u.slice(7, 6) }
            #expect(throws: StorageError.invalidIndex("unstable.slice[4,6) out of bound [5,8]")) { try u.slice(4, 6) }
            #expect(throws: StorageError.invalidIndex("unstable.slice[5,9) out of bound [5,8]")) { try u.slice(5, 9) }
        }

        @Test func stableSnapToMatchesIndexOnly() {
            let u = Unstable(snapshot: Self.snap4, offset: 5, snapshotInProgress: true, logger: DiscardLogger())
            u.stableSnapTo(3)
            #expect(u.snapshot == Self.snap4 && u.snapshotInProgress)
            u.stableSnapTo(4)
            #expect(u.snapshot == nil && !u.snapshotInProgress)
            u.checkInvariants()
        }
    }
}
