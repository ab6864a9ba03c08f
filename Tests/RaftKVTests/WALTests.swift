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

    /// A record cut short at the end of the last segment (header only, part of the body, or a
    /// zero-filled end) is truncated with a log line, and the records before it survive.
    @Test(arguments: ["header", "body", "zeros"])
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
        case "body": try appendBytes(segment, Array(record[0..<(record.count - 3)]))
        default: try appendBytes(segment, [UInt8](repeating: 0, count: 100))
        }
        let logger = CapturingLogger(level: .info)
        let (reopened, replay) = try WAL.open(directory: dir.path, logger: logger)
        #expect(replay.entries == [entry(1, "keep")])
        #expect(fileSize(segment) == good)
        #expect(logger.lines.contains { $0.contains("torn tail in \(segment) at offset \(good)") }, "\(logger.lines)")
        // The log goes on after the cut.
        try reopened.save(hardState: .empty, entries: [entry(2, "next")], sync: true)
        reopened.close()
        #expect(try WAL.open(directory: dir.path, logger: CapturingLogger(level: .info)).1.entries.count == 2)
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
        do {
            _ = try WAL.open(directory: dir.path, logger: CapturingLogger(level: .info))
            Issue.record("a corrupted WAL opened")
        } catch let error as WALCorruption {
            #expect(error.file == segment)
            #expect(error.offset == 2 * recordSize)
            #expect(error.description.contains("\(segment) at offset \(2 * recordSize)"))
        }
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
}
