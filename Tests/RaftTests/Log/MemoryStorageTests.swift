import Testing
@testable import Raft

extension LogLayerTests {
    /// MemoryStorage against etcd's semantics: the placeholder entry, compaction, snapshots, appends
    /// that overwrite, size-limited reads, and safety under concurrent use.
    @Suite struct MemoryStorageTests {
        typealias F = LogFixture

        /// Placeholder at 3 (term 3), then entries 4 and 5 with terms 4 and 5.
        static func threeToFive() throws -> MemoryStorage {
            try F.storage(snapshotAt: 3, term: 3, entries: F.entries(at: 4, terms: 4, 5))
        }

        /// Every entry held, placeholder included, as (index, term).
        static func held(_ s: MemoryStorage) throws -> [EntryID] {
            let first = s.firstIndex()
            let last = s.lastIndex()
            var ids = [EntryID(term: try s.term(first - 1), index: first - 1)]
            if last >= first { ids += try s.entries(first, last + 1, maxSize: noLimit).map(\.id) }
            return ids
        }

        @Test func freshStorage() throws {
            let s = MemoryStorage()
            #expect(s.firstIndex() == 1)
            #expect(s.lastIndex() == 0)
            #expect(try s.term(0) == 0)
            #expect(throws: StorageError.unavailable) { try s.term(1) }
            #expect(throws: StorageError.unavailable) { try s.entries(1, 1, maxSize: noLimit) }
            #expect(s.snapshot() == Snapshot())
            let (hs, cs) = s.initialState()
            #expect(hs == HardState() && cs == ConfState())
        }

        /// etcd: TestStorageTerm.
        @Test(arguments: [
            (UInt64(2), StorageError?.some(.compacted), UInt64(0)),
            (3, nil, 3),
            (4, nil, 4),
            (5, nil, 5),
            (6, .unavailable, 0),
        ])
        func term(index: UInt64, error: StorageError?, want: UInt64) throws {
            let s = try Self.threeToFive()
            if let error {
                #expect(throws: error) { try s.term(index) }
            } else {
                #expect(try s.term(index) == want)
            }
        }

        /// The one-lock read behind `RaftLog.term`: the log's range `[firstIndex-1, lastIndex]`,
        /// with the unstable log's bounds in place of storage's when it has them (a pending
        /// snapshot moves the first index, unstable entries the last), then storage's own term.
        @Test(arguments: [
            // Storage's bounds only: placeholder 3, entries 4 and 5.
            (UInt64(2), UInt64?.none, UInt64?.none, StorageError?.some(.compacted), UInt64(0)),
            (3, nil, nil, nil, 3),
            (5, nil, nil, nil, 5),
            (6, nil, nil, .unavailable, 0),
            (.max, nil, nil, .compacted, 0),  // index + 1 wraps to 0, as in etcd
            // Unstable entries up to 7: in range, but storage does not hold 6 and 7.
            (6, nil, 7, .unavailable, 0),
            (8, nil, 7, .unavailable, 0),
            (4, nil, 7, nil, 4),
            // A pending snapshot at 10 (first index 11): everything before 10 is compacted.
            (5, 11, 12, .compacted, 0),
            (10, 11, 12, .unavailable, 0),
        ])
        func termWithUnstableBounds(index: UInt64, first: UInt64?, last: UInt64?, error: StorageError?, want: UInt64) throws {
            let s = try Self.threeToFive()
            if let error {
                #expect(throws: error) { try s.term(index, unstableFirst: first, unstableLast: last) }
            } else {
                #expect(try s.term(index, unstableFirst: first, unstableLast: last) == want)
            }
        }

        /// etcd: TestStorageEntries.
        @Test func entries() throws {
            // Placeholder at 3, then 4, 5, 6.
            let s = try F.storage(snapshotAt: 3, term: 3, entries: F.entries(at: 4, terms: 4, 5, 6))
            let sizes = F.entries(at: 3, terms: 3, 4, 5, 6).map { UInt64($0.encodedSize) }
            #expect(throws: StorageError.compacted) { try s.entries(2, 6, maxSize: noLimit) }
            #expect(throws: StorageError.compacted) { try s.entries(3, 4, maxSize: noLimit) }
            #expect(try s.entries(4, 5, maxSize: noLimit) == F.entries(at: 4, terms: 4))
            #expect(try s.entries(4, 6, maxSize: noLimit) == F.entries(at: 4, terms: 4, 5))
            #expect(try s.entries(4, 7, maxSize: noLimit) == F.entries(at: 4, terms: 4, 5, 6))
            // At least one entry, even with no room.
            #expect(try s.entries(4, 7, maxSize: 0) == F.entries(at: 4, terms: 4))
            #expect(try s.entries(4, 7, maxSize: sizes[1] + sizes[2]) == F.entries(at: 4, terms: 4, 5))
            #expect(try s.entries(4, 7, maxSize: sizes[1] + sizes[2] + sizes[3] / 2) == F.entries(at: 4, terms: 4, 5))
            #expect(try s.entries(4, 7, maxSize: sizes[1] + sizes[2] + sizes[3] - 1) == F.entries(at: 4, terms: 4, 5))
            #expect(try s.entries(4, 7, maxSize: sizes[1] + sizes[2] + sizes[3]) == F.entries(at: 4, terms: 4, 5, 6))
            #expect(try s.entries(5, 5, maxSize: noLimit).isEmpty)
            #expect(throws: StorageError.invalidIndex("entries' hi(8) is out of bound lastindex(6)")) {
                try s.entries(4, 8, maxSize: noLimit)
            }
            #expect(throws: StorageError.invalidIndex("entries' lo(6) is greater than hi(5)")) {
                try s.entries(6, 5, maxSize: noLimit)
            }
        }

        /// etcd: TestStorageLastIndex.
        @Test func lastIndexFollowsAppends() throws {
            let s = try Self.threeToFive()
            #expect(s.lastIndex() == 5)
            try s.append(F.entries(at: 6, terms: 5))
            #expect(s.lastIndex() == 6)
        }

        /// etcd: TestStorageFirstIndex.
        @Test func firstIndexFollowsCompaction() throws {
            let s = try Self.threeToFive()
            #expect(s.firstIndex() == 4)
            try s.compact(4)
            #expect(s.firstIndex() == 5)
        }

        /// etcd: TestStorageCompact.
        @Test(arguments: [
            (UInt64(2), StorageError?.some(.compacted), UInt64(3), UInt64(3), 3),
            (3, .compacted, 3, 3, 3),
            (4, nil, 4, 4, 2),
            (5, nil, 5, 5, 1),
        ])
        func compact(index: UInt64, error: StorageError?, wantPlaceholder: UInt64, wantTerm: UInt64, wantHeld: Int) throws {
            let s = try Self.threeToFive()
            if let error {
                #expect(throws: error) { try s.compact(index) }
            } else {
                try s.compact(index)
            }
            let held = try Self.held(s)
            #expect(held.first == EntryID(term: wantTerm, index: wantPlaceholder))
            #expect(held.count == wantHeld)
        }

        @Test func compactBeyondLastThrows() throws {
            let s = try Self.threeToFive()
            #expect(throws: StorageError.invalidIndex("compact 6 is out of bound lastindex(5)")) { try s.compact(6) }
            #expect(try Self.held(s).count == 3)
        }

        @Test func compactKeepsNoPayloadInPlaceholder() throws {
            let s = MemoryStorage()
            try s.append([Entry(term: 1, index: 1, data: [1]), Entry(term: 1, index: 2, data: [2])])
            try s.compact(1)
            #expect(try s.entries(2, 3, maxSize: noLimit) == [Entry(term: 1, index: 2, data: [2])])
            #expect(try s.term(1) == 1)
        }

        /// etcd: TestStorageCreateSnapshot.
        @Test(arguments: [UInt64(4), 5])
        func createSnapshot(index: UInt64) throws {
            let s = try Self.threeToFive()
            let cs = ConfState(voters: [1, 2, 3])
            let data: [UInt8] = Array("data".utf8)
            let snap = try s.createSnapshot(index, confState: cs, data: data)
            let want = Snapshot(data: data, metadata: SnapshotMetadata(confState: cs, index: index, term: index))
            #expect(snap == want)
            #expect(s.snapshot() == want)
            #expect(s.initialState().1 == cs)
        }

        @Test func createSnapshotErrors() throws {
            let s = try Self.threeToFive()
            #expect(throws: StorageError.snapOutOfDate) { try s.createSnapshot(3, confState: nil, data: []) }
            #expect(throws: StorageError.invalidIndex("snapshot 6 is out of bound lastindex(5)")) {
                try s.createSnapshot(6, confState: nil, data: [])
            }
            // Compacted past the snapshot: the entry's term is gone.
            try s.compact(5)
            _ = try s.createSnapshot(5, confState: nil, data: [])
            let t = try F.storage(snapshotAt: 3, term: 3, entries: F.entries(at: 4, terms: 4, 5, 6))
            try t.compact(5)
            #expect(throws: StorageError.compacted) { try t.createSnapshot(4, confState: nil, data: []) }
            // Without a membership, the previous one is kept.
            let u = try Self.threeToFive()
            _ = try u.createSnapshot(4, confState: ConfState(voters: [7]), data: [])
            #expect(try u.createSnapshot(5, confState: nil, data: []).metadata.confState == ConfState(voters: [7]))
        }

        /// etcd: TestStorageAppend.
        @Test(arguments: [
            // Entirely compacted: nothing changes.
            (F.entries(at: 1, terms: 1, 2), F.entries(at: 3, terms: 3, 4, 5)),
            (F.entries(at: 3, terms: 3, 4, 5), F.entries(at: 3, terms: 3, 4, 5)),
            (F.entries(at: 3, terms: 3, 6, 6), F.entries(at: 3, terms: 3, 6, 6)),
            (F.entries(at: 3, terms: 3, 4, 5, 5), F.entries(at: 3, terms: 3, 4, 5, 5)),
            // The compacted prefix is skipped, the rest overwrites.
            (F.entries(at: 2, terms: 3, 3, 5), F.entries(at: 3, terms: 3, 5)),
            // Overwrite from the middle.
            (F.entries(at: 4, terms: 5), F.entries(at: 3, terms: 3, 5)),
            // Plain append.
            (F.entries(at: 6, terms: 5), F.entries(at: 3, terms: 3, 4, 5, 5)),
        ])
        func append(_ entries: [Entry], want: [Entry]) throws {
            let s = try Self.threeToFive()
            try s.append(entries)
            #expect(try Self.held(s) == want.map(\.id))
        }

        @Test func appendErrors() throws {
            let s = try Self.threeToFive()
            #expect(throws: StorageError.invalidIndex("missing log entry [last: 5, append at: 7]")) {
                try s.append(F.entries(at: 7, terms: 5))
            }
            #expect(throws: StorageError.invalidIndex("entries are not contiguous: index 8 follows 6")) {
                try s.append([Entry(term: 5, index: 6), Entry(term: 5, index: 8)])
            }
            #expect(throws: StorageError.invalidIndex("entry index \(UInt64.max) is out of range")) {
                try s.append([Entry(term: 5, index: .max)])
            }
            #expect(throws: Never.self) { try s.append([]) }
            #expect(try Self.held(s) == F.entries(at: 3, terms: 3, 4, 5).map(\.id))
        }

        /// etcd: TestStorageApplySnapshot.
        @Test func applySnapshot() throws {
            let cs = ConfState(voters: [1, 2, 3])
            let data: [UInt8] = Array("data".utf8)
            let s4 = Snapshot(data: data, metadata: SnapshotMetadata(confState: cs, index: 4, term: 4))
            let s3 = Snapshot(data: data, metadata: SnapshotMetadata(confState: cs, index: 3, term: 3))

            let s = MemoryStorage()
            try s.applySnapshot(s4)
            #expect(s.snapshot() == s4)
            #expect(s.firstIndex() == 5 && s.lastIndex() == 4)
            #expect(try s.term(4) == 4)
            #expect(throws: StorageError.snapOutOfDate) { try s.applySnapshot(s3) }
            #expect(throws: StorageError.snapOutOfDate) { try s.applySnapshot(s4) }

            // Bootstrapping: an index-0 snapshot carrying only the membership.
            let boot = MemoryStorage()
            try boot.applySnapshot(Snapshot(data: data, metadata: SnapshotMetadata(confState: cs)))
            #expect(boot.initialState().1 == cs)
            #expect(boot.lastIndex() == 0)

            #expect(throws: StorageError.invalidIndex("snapshot index \(UInt64.max) is out of range")) {
                try MemoryStorage().applySnapshot(F.snapshot(index: .max, term: 1))
            }
        }

        @Test func hardState() {
            let s = MemoryStorage()
            let hs = HardState(term: 3, vote: 2, commit: 1)
            s.setHardState(hs)
            #expect(s.hardState == hs)
            #expect(s.initialState().0 == hs)
        }

        /// One writer appends (and sometimes overwrites) while readers check that every view they get
        /// is consistent: each entry read has term == index, and bounds never go backwards.
        @Test func concurrentAppendsAndReads() async throws {
            let s = MemoryStorage()
            let total: UInt64 = 2000
            await withTaskGroup(of: Bool.self) { group in
                group.addTask {
                    var next: UInt64 = 1
                    while next <= total {
                        let end = min(next + 7, total + 1)
                        do { try s.append(F.selfTermed(next..<end)) } catch { return false }
                        // Rewrite the last few entries with the same content now and then.
                        if next > 5 && next % 3 == 0 {
                            do { try s.append(F.selfTermed((next - 5)..<end)) } catch { return false }
                        }
                        next = end
                    }
                    return true
                }
                for _ in 0..<3 {
                    group.addTask {
                        var lastSeen: UInt64 = 0
                        while lastSeen < total {
                            let last = s.lastIndex()
                            guard last >= lastSeen else { return false }
                            lastSeen = last
                            if last == 0 { continue }
                            do {
                                guard try s.term(last) == last else { return false }
                                let lo = last > 10 ? last - 10 : 1
                                let read = try s.entries(lo, last + 1, maxSize: noLimit)
                                guard read.map(\.index) == Array(lo...last), read.allSatisfy({ $0.term == $0.index })
                                else { return false }
                            } catch {
                                return false
                            }
                        }
                        return true
                    }
                }
                for await ok in group { #expect(ok) }
            }
            #expect(s.lastIndex() == total)
            #expect(try s.entries(1, total + 1, maxSize: noLimit) == F.selfTermed(1..<(total + 1)))
        }
    }
}
