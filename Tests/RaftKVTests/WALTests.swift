import Foundation
import RaftTesting
import Testing
import Raft
@testable import RaftKV

@Suite struct WALTests {
    /// Entries and hard states written come back in order after reopening; the last hard state
    /// wins.
    @Test func replaysWhatWasSaved() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        do {
            let (wal, replay) = try WAL.open(directory: dir.path, logger: CapturingLogger(level: .info))
            #expect(!replay.hadRecords)
            try wal.save(hardState: HardState(term: 1, vote: 1, commit: 0), entries: [entry(1), entry(2, "a")], sync: true)
            try wal.save(hardState: HardState(term: 1, vote: 1, commit: 2), entries: [entry(3, "b")], sync: false)
            wal.close()
        }
        let (_, replay) = try WAL.open(directory: dir.path, logger: CapturingLogger(level: .info))
        #expect(replay.hadRecords)
        #expect(replay.entries == [entry(1), entry(2, "a"), entry(3, "b")])
        #expect(replay.hardState == HardState(term: 1, vote: 1, commit: 2))
    }

    /// A later entry at an index already held replaces it and everything after it, as a new
    /// leader overwrites a follower's uncommitted tail.
    @Test func laterEntriesOverwriteTheTail() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let (wal, _) = try WAL.open(directory: dir.path, logger: CapturingLogger(level: .info))
        try wal.save(hardState: .empty, entries: [entry(1), entry(2, "x"), entry(3, "y")], sync: true)
        try wal.save(hardState: .empty, entries: [entry(2, term: 2, "z")], sync: true)
        wal.close()
        let (_, replay) = try WAL.open(directory: dir.path, logger: CapturingLogger(level: .info))
        #expect(replay.entries == [entry(1), entry(2, term: 2, "z")])
    }

    /// A log reset (a snapshot from the leader) voids the entries before it.
    @Test func logResetVoidsEarlierEntries() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let (wal, _) = try WAL.open(directory: dir.path, logger: CapturingLogger(level: .info))
        try wal.save(hardState: .empty, entries: [entry(1), entry(2)], sync: true)
        try wal.saveLogReset(index: 10, term: 3)
        try wal.save(hardState: HardState(term: 3, vote: 0, commit: 11), entries: [entry(11, term: 3)], sync: true)
        wal.close()
        let (_, replay) = try WAL.open(directory: dir.path, logger: CapturingLogger(level: .info))
        #expect(replay.entries == [entry(11, term: 3)])
        #expect(replay.lastResetIndex == 10)
    }

    /// A record cut short at the end of the last segment (header only, or part of the body) is
    /// truncated with a log line, and the records before it survive.
    @Test(arguments: ["header", "body"])
    func tornTailIsTruncated(_ kind: String) throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let (wal, _) = try WAL.open(directory: dir.path, logger: CapturingLogger(level: .info))
        try wal.save(hardState: HardState(term: 1, vote: 1, commit: 1), entries: [entry(1, "keep")], sync: true)
        let segment = try #require(wal.segmentFiles.last)
        wal.close()
        let good = fileSize(segment)
        let record = WALRecord.entry(entry(2, "lost")).framed()
        switch kind {
        case "header": try appendBytes(segment, Array(record[0..<5]))
        default: try appendBytes(segment, Array(record[0..<(record.count - 3)]))
        }
        let logger = CapturingLogger(level: .info)
        let (reopened, replay) = try WAL.open(directory: dir.path, logger: logger)
        #expect(replay.entries == [entry(1, "keep")])
        // Cut at the torn record: what follows is the reopened segment's preallocation, if any.
        #expect(try FileIO.readFile(segment)[good...].allSatisfy { $0 == 0 })
        #expect(logger.lines.contains { $0.contains("torn tail in \(segment) at offset \(good)") }, "\(logger.lines)")
        // The log goes on after the cut.
        try reopened.save(hardState: .empty, entries: [entry(2, "next")], sync: true)
        reopened.close()
        #expect(fileSize(segment) == good + WALRecord.entry(entry(2, "next")).framed().count)
        #expect(try WAL.open(directory: dir.path, logger: CapturingLogger(level: .info)).1.entries.count == 2)
    }

    /// Open, the newest segment is preallocated to the segment size; closed, it is cut back to
    /// the records it holds, and reopening goes on after them.
    @Test func reopenAfterCleanClose() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let (wal, _) = try WAL.open(directory: dir.path, logger: CapturingLogger(level: .info), segmentBytes: 1 << 16)
        let hs = HardState(term: 1, vote: 1, commit: 1)
        try wal.save(hardState: hs, entries: [entry(1, "a"), entry(2, "b")], sync: true)
        let segment = try #require(wal.segmentFiles.last)
        #if os(Linux)
        #expect(fileSize(segment) == 1 << 16)
        #endif
        wal.close()
        let written = [WALRecord.entry(entry(1, "a")), .entry(entry(2, "b")), .hardState(hs)].flatMap { $0.framed() }
        #expect(try FileIO.readFile(segment) == written)
        let logger = CapturingLogger(level: .info)
        let (reopened, replay) = try WAL.open(directory: dir.path, logger: logger, segmentBytes: 1 << 16)
        #expect(replay.entries == [entry(1, "a"), entry(2, "b")])
        #expect(!logger.lines.contains { $0.contains("torn") }, "\(logger.lines)")
        try reopened.save(hardState: HardState(term: 1, vote: 1, commit: 3), entries: [entry(3, "c")], sync: true)
        reopened.close()
        let (_, again) = try WAL.open(directory: dir.path, logger: CapturingLogger(level: .info), segmentBytes: 1 << 16)
        #expect(again.entries == [entry(1, "a"), entry(2, "b"), entry(3, "c")])
        #expect(again.hardState == HardState(term: 1, vote: 1, commit: 3))
    }

    /// A WAL dropped without `close` (as a crash leaves it) keeps its preallocated zeros; they
    /// are the normal end of the log: nothing is logged as torn, nothing is cut, and the next
    /// save goes right after the last record. Zeros after a cleanly closed segment (a lost
    /// sector, a preallocation by an older run) read the same way.
    @Test func reopenAfterCrashWithPreallocatedZeroTail() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        var segment = ""
        do {
            let logger = CapturingLogger(level: .info)
            let (wal, _) = try WAL.open(directory: dir.path, logger: logger, segmentBytes: 1 << 16)
            // The last bytes of a hard state record are zeros, like the tail after it.
            try wal.save(hardState: HardState(term: 1, vote: 1, commit: 1), entries: [entry(1, "a")], sync: true)
            segment = try #require(wal.segmentFiles.last)
        }
        #if os(Linux)
        #expect(fileSize(segment) == 1 << 16)
        #endif
        for round in 2...3 {
            let logger = CapturingLogger(level: .info)
            let (wal, replay) = try WAL.open(directory: dir.path, logger: logger, segmentBytes: 1 << 16)
            #expect(replay.entries.map(\.index) == Array(1...UInt64(round - 1)))
            #expect(replay.hardState == HardState(term: 1, vote: 1, commit: UInt64(round - 1)))
            #expect(!logger.lines.contains { $0.contains("torn") }, "\(logger.lines)")
            let index = UInt64(round)
            let hs = HardState(term: 1, vote: 1, commit: index)
            try wal.save(hardState: hs, entries: [entry(index, "x")], sync: true)
        }
        let logger = CapturingLogger(level: .info)
        let (wal, replay) = try WAL.open(directory: dir.path, logger: logger, segmentBytes: 1 << 16)
        #expect(replay.entries.map(\.index) == [1, 2, 3])
        wal.close()
        try appendBytes(segment, [UInt8](repeating: 0, count: 100))
        let (_, afterZeros) = try WAL.open(directory: dir.path, logger: logger, segmentBytes: 1 << 16)
        #expect(afterZeros.entries.map(\.index) == [1, 2, 3])
        #expect(!logger.lines.contains { $0.contains("torn") }, "\(logger.lines)")
    }

    /// A record written only up to a sector boundary, zeros after it (a write cut by a crash in
    /// a preallocated segment), is torn whether the boundary falls in its header or its body:
    /// truncated with a log line, and the log goes on.
    @Test(arguments: ["header", "body"])
    func tornRecordFollowedByZeros(_ cutIn: String) throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        // The first record fills the segment up to 5 bytes before the boundary (for a cut in
        // the next record's header) or 40 (for a cut in its body).
        let before = cutIn == "header" ? 5 : 40
        let first = WALRecord.entry(entry(1, String(repeating: "k", count: 512 - before - 34))).framed()
        #expect(first.count == 512 - before)
        let torn = WALRecord.entry(entry(2, String(repeating: "t", count: 300))).framed()
        let segment = dir.path + "/" + WALSegmentName(sequence: 1, firstIndex: 1).fileName
        let content = first + torn.prefix(before) + [UInt8](repeating: 0, count: 4096 - 512)
        try Data(content).write(to: URL(fileURLWithPath: segment))
        let logger = CapturingLogger(level: .info)
        let (wal, replay) = try WAL.open(directory: dir.path, logger: logger)
        #expect(replay.entries.map(\.index) == [1])
        let line = "torn tail in \(segment) at offset \(first.count)"
        #expect(logger.lines.contains { $0.contains(line) }, "\(logger.lines)")
        try wal.save(hardState: .empty, entries: [entry(2, "again")], sync: true)
        wal.close()
        let (_, again) = try WAL.open(directory: dir.path, logger: CapturingLogger(level: .info))
        #expect(again.entries == [replay.entries[0], entry(2, "again")])
    }

    /// Damage followed by zeros is still corruption when it is not a write cut at a sector
    /// boundary: a complete last record with a flipped byte, a zeroed sector in the middle of
    /// the log, a flipped byte in a record with valid records after it.
    @Test(arguments: ["last record", "zeroed sector", "middle record"])
    func corruptionInAPreallocatedSegmentRefusesToOpen(_ damage: String) throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        var records: [[UInt8]] = []
        for i in 1...8 {
            records.append(WALRecord.entry(entry(UInt64(i), String(repeating: "v", count: 100))).framed())
        }
        var bytes = records.flatMap { $0 } + [UInt8](repeating: 0, count: 4096)
        let damagedAt: Int
        switch damage {
        case "last record":
            damagedAt = 7 * records[0].count
            bytes[damagedAt + 20] ^= 0x01
        case "zeroed sector":
            for k in 512..<1024 { bytes[k] = 0 }
            damagedAt = 512 / records[0].count * records[0].count
        default:
            damagedAt = 2 * records[0].count
            bytes[damagedAt + 30] ^= 0x40
        }
        let segment = dir.path + "/" + WALSegmentName(sequence: 1, firstIndex: 1).fileName
        try Data(bytes).write(to: URL(fileURLWithPath: segment))
        try expectRefusal(dir, segment, at: damagedAt)
        #expect(try FileIO.readFile(segment) == bytes)
    }

    /// A flipped byte in a record followed by others is corruption: opening fails with the file
    /// and the record's offset, and nothing is truncated.
    @Test func corruptionBeforeTheTailRefusesToOpen() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let (wal, _) = try WAL.open(directory: dir.path, logger: CapturingLogger(level: .info))
        for i in 1...5 { try wal.save(hardState: .empty, entries: [entry(UInt64(i), "value-\(i)")], sync: true) }
        let segment = try #require(wal.segmentFiles.last)
        wal.close()
        let recordSize = WALRecord.entry(entry(1, "value-1")).framed().count
        var bytes = try FileIO.readFile(segment)
        let size = bytes.count
        bytes[2 * recordSize + 12] ^= 0x40 // inside the third record
        try Data(bytes).write(to: URL(fileURLWithPath: segment))
        try expectRefusal(dir, segment, at: 2 * recordSize)
        #expect(fileSize(segment) == size)
    }

    /// Damage to the final record's checksum with its bytes complete is corruption too: only a
    /// short or never-written record counts as torn.
    @Test func completeButDamagedLastRecordIsCorruption() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let (wal, _) = try WAL.open(directory: dir.path, logger: CapturingLogger(level: .info))
        try wal.save(hardState: .empty, entries: [entry(1, "a"), entry(2, "b")], sync: true)
        let segment = try #require(wal.segmentFiles.last)
        wal.close()
        var bytes = try FileIO.readFile(segment)
        bytes[bytes.count - 1] ^= 1
        try Data(bytes).write(to: URL(fileURLWithPath: segment))
        #expect(throws: WALCorruption.self) { try WAL.open(directory: dir.path, logger: CapturingLogger(level: .info)) }
    }

    /// Segments are cut by size; releasing after a snapshot deletes the ones it fully covers,
    /// and the hard state survives (each segment starts with it).
    @Test func segmentsAreCutAndReleased() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let (wal, _) = try WAL.open(directory: dir.path, logger: CapturingLogger(level: .info), segmentBytes: 200)
        for i in 1...40 {
            try wal.save(hardState: HardState(term: 1, vote: 2, commit: UInt64(i)), entries: [entry(UInt64(i), "v\(i)")], sync: false)
        }
        let before = wal.segmentFiles.count
        #expect(before > 3)
        try wal.releaseSegments(coveredBy: 30)
        let after = wal.segmentFiles.count
        #expect(after < before)
        wal.close()
        let (_, replay) = try WAL.open(directory: dir.path, logger: CapturingLogger(level: .info), segmentBytes: 200)
        #expect(replay.hardState == HardState(term: 1, vote: 2, commit: 40))
        let first = try #require(replay.entries.first?.index)
        #expect(first <= 31)
        #expect(replay.entries.last?.index == 40)
        #expect(replay.entries.map(\.index) == Array(first...40))
    }

    /// A segment that is not the last one must be complete: a short record there is corruption.
    @Test func shortRecordInAnOlderSegmentIsCorruption() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let (wal, _) = try WAL.open(directory: dir.path, logger: CapturingLogger(level: .info), segmentBytes: 100)
        for i in 1...10 { try wal.save(hardState: .empty, entries: [entry(UInt64(i), "value")], sync: false) }
        let first = try #require(wal.segmentFiles.first)
        wal.close()
        try appendBytes(first, [1, 2, 3])
        #expect(throws: WALCorruption.self) { try WAL.open(directory: dir.path, logger: CapturingLogger(level: .info)) }
    }

    /// Opening the WAL in `dir` fails with corruption in `segment` at `offset`, and says where.
    func expectRefusal(_ dir: TempDir, _ segment: String, at offset: Int,
                       sourceLocation: SourceLocation = #_sourceLocation) throws {
        do {
            _ = try WAL.open(directory: dir.path, logger: CapturingLogger(level: .info))
            Issue.record("a corrupted WAL opened", sourceLocation: sourceLocation)
        } catch let error as WALCorruption {
            #expect(error.file == segment, sourceLocation: sourceLocation)
            #expect(error.offset == offset, sourceLocation: sourceLocation)
            #expect(error.description.contains("\(segment) at offset \(offset)"), sourceLocation: sourceLocation)
        }
    }
}
