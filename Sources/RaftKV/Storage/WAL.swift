#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Raft

/// What replaying the WAL yields: the last hard state and the surviving log entries, in order.
public struct WALReplay: Sendable {
    public var hardState = HardState()
    /// Contiguous entries, after overwrites and resets were applied.
    public var entries: [Entry] = []
    /// Whether any segment held a record: false for a brand-new node.
    public var hadRecords = false
    /// The index of the last `logReset` record, 0 if none: entries up to it live only in the
    /// snapshot taken at that index.
    public var lastResetIndex: UInt64 = 0
}

/// The write-ahead log: segment files of checksummed records holding raft's entries and hard
/// state, appended before anything that depends on them leaves the node.
///
/// Ready's contract says entries and hard state must be on stable storage before the messages of
/// the same Ready are sent (a vote or an append acknowledgement promises them), so `save` syncs
/// when asked to (`Ready.mustSync`) and returns only then. Records go to the newest segment; a
/// new one is cut when it grows past `segmentBytes`, and after a snapshot `releaseSegments`
/// deletes the segments that only hold entries the snapshot covers.
///
/// The newest segment is preallocated to `segmentBytes` when it is created (where the platform
/// can), and written with `pwrite` at the end of what it holds: a sync then does not have to
/// write the file's new size each time, which is most of what an `fdatasync` after an append
/// costs beyond the data. A segment is cut back to what it holds when the next one is cut and on
/// `close`; after a crash the newest segment keeps its zeros, which are its normal end.
///
/// Opening replays every segment in order. A crash can leave the last record of the last
/// segment half written: that torn tail is cut off (and logged), since the node never acted on
/// it. Any other flaw is corruption and `open` throws `WALCorruption` naming file and offset.
/// `WALSegmentReader.scan` has the exact rules.
///
/// Not `Sendable`: one task owns it (the node's Ready loop, which is its only writer and closes
/// it when it ends), so nothing else can write between a `save` and the sync it promises.
///
/// etcd: the `wal` package (`WAL.Save`, `WAL.ReadAll`, `ReleaseLockTo`, torn-write repair).
public final class WAL {
    public let directory: String
    private let logger: any Logger
    /// Cut a new segment once the current one is bigger than this.
    private let segmentBytes: Int
    private var segments: [WALSegmentName]
    private var fd: Int32 = -1
    /// How many bytes the current segment holds: where the next record is written. The file can
    /// be longer (its preallocated zeros).
    private var size = 0
    /// The last entry index written (or replayed): the next segment's first index is one past it.
    private var lastIndex: UInt64 = 0
    private var lastHardState = HardState()

    /// The last hard state saved (or replayed).
    public var hardState: HardState { lastHardState }
    /// The path of the segment `fd` writes to, built once per segment (not once per `save`: the
    /// error messages of every write and sync name it).
    private var currentPath = ""

    private init(directory: String, logger: any Logger, segmentBytes: Int, segments: [WALSegmentName]) {
        self.directory = directory
        self.logger = logger
        self.segmentBytes = segmentBytes
        self.segments = segments
    }

    /// Releases the descriptor without cutting the segment back to its size: a WAL dropped
    /// without `close` leaves the files as a crash would, which `open` reads back.
    deinit { if fd >= 0 { LibC.close(fd) } }

    /// Opens (creating if needed) the WAL in `directory` and replays it.
    ///
    /// - Throws: `WALCorruption` for a flaw before the tail, `SystemError` for I/O failures.
    public static func open(directory: String, logger: any Logger,
                            segmentBytes: Int = 16 << 20) throws -> (WAL, WALReplay) {
        try FileIO.makeDirectories(directory)
        var names: [WALSegmentName] = []
        for file in try FileIO.list(directory) {
            if let name = WALSegmentName(fileName: file) { names.append(name) }
        }
        names.sort()
        let wal = WAL(directory: directory, logger: logger, segmentBytes: segmentBytes, segments: names)
        var replay = WALReplay()
        var lastSize = 0
        for (k, name) in names.enumerated() {
            let path = directory + "/" + name.fileName
            let bytes = try FileIO.readFile(path)
            let scan = try WALSegmentReader.scan(bytes, file: path, isLast: k == names.count - 1)
            for (offset, record) in scan.records {
                replay.hadRecords = true
                try apply(record, to: &replay, file: path, offset: offset)
            }
            if let torn = scan.torn {
                logger.warning("WAL: torn tail in \(path) at offset \(torn.offset) (\(torn.reason)); truncating \(bytes.count - torn.offset) bytes")
                try FileIO.truncate(path, to: torn.offset)
            }
            lastSize = scan.validEnd
        }
        wal.lastIndex = replay.entries.last?.index ?? replay.lastResetIndex
        wal.lastHardState = replay.hardState
        if names.isEmpty {
            try wal.createSegment(WALSegmentName(sequence: 1, firstIndex: 1))
        } else {
            try wal.openLast(size: lastSize)
        }
        return (wal, replay)
    }

    /// Folds one record into the replay, as raft's log would have evolved.
    private static func apply(_ record: WALRecord, to replay: inout WALReplay, file: String,
                              offset: Int) throws(WALCorruption) {
        switch record {
        case .hardState(let hs):
            replay.hardState = hs
        case .logReset(let index, _):
            replay.entries = []
            replay.lastResetIndex = index
        case .entry(let e):
            if let first = replay.entries.first, let last = replay.entries.last {
                if e.index <= first.index {
                    replay.entries = []
                } else if e.index <= last.index {
                    replay.entries.removeSubrange(Int(e.index - first.index)...)
                } else if e.index != last.index + 1 {
                    throw WALCorruption(file: file, offset: offset,
                                        reason: "entry \(e.index) leaves a gap after entry \(last.index)")
                }
            } else if replay.lastResetIndex != 0 && e.index != replay.lastResetIndex + 1 && e.index > replay.lastResetIndex {
                throw WALCorruption(file: file, offset: offset,
                                    reason: "entry \(e.index) does not follow the snapshot at \(replay.lastResetIndex)")
            }
            replay.entries.append(e)
        }
    }

    // MARK: - Writing

    /// Appends the hard state (when not empty) and entries of one Ready, durably when `sync`.
    public func save(hardState: HardState, entries: [Entry], sync: Bool) throws {
        if hardState.isEmpty && entries.isEmpty { return }
        var buffer = ByteWriter(capacity: WALRecord.framedSizeEstimate(entries))
        for e in entries { WALRecord.entry(e).frame(into: &buffer) }
        // The hard state goes after the entries: its commit index may point into them.
        if !hardState.isEmpty { WALRecord.hardState(hardState).frame(into: &buffer) }
        try append(buffer.bytes, sync: sync)
        if let last = entries.last { lastIndex = last.index }
        if !hardState.isEmpty { lastHardState = hardState }
        if size > segmentBytes { try cut() }
    }

    /// Makes everything saved so far durable: for several saves made with `sync: false`, one
    /// sync for all of them.
    public func sync() throws {
        try FileIO.sync(fd, path: currentPath)
    }

    /// Records that the log was replaced by a snapshot (received from the leader) at `index`,
    /// durably; the snapshot file must already be saved.
    public func saveLogReset(index: UInt64, term: UInt64) throws {
        try append(WALRecord.logReset(index: index, term: term).framed(), sync: true)
        lastIndex = index
    }

    /// Deletes the segments that hold only entries at or below `index` (covered by a snapshot
    /// on disk). Cuts a new segment first, so that the current one can go too once it is old.
    public func releaseSegments(coveredBy index: UInt64) throws {
        if size > 0 { try cut() }
        var removed = 0
        // Segment k holds entries below the first index of segment k + 1.
        while segments.count > 1, segments[1].firstIndex <= index + 1 {
            try FileIO.remove(directory + "/" + segments[0].fileName)
            segments.removeFirst()
            removed += 1
        }
        if removed > 0 {
            try FileIO.syncDirectory(directory)
            logger.info("WAL: released \(removed) segment(s) covered by the snapshot at \(index)")
        }
    }

    /// The segment files, oldest first (for tests and the chapter).
    public var segmentFiles: [String] { segments.map { directory + "/" + $0.fileName } }

    /// Cuts the current segment back to what it holds (best effort: its zeros would be read as
    /// its normal end anyway) and closes it. Nothing can be saved afterwards.
    public func close() {
        if fd >= 0 {
            _ = ftruncate(fd, off_t(size))
            LibC.close(fd)
        }
        fd = -1
    }

    private func append(_ bytes: [UInt8], sync: Bool) throws {
        try FileIO.writeAll(fd, bytes, at: size, path: currentPath)
        size += bytes.count
        if sync { try FileIO.sync(fd, path: currentPath) }
    }

    /// Starts a new segment, which begins with the current hard state so that older segments can
    /// be deleted without losing it. The current one is cut back to what it holds, durably,
    /// before the next exists: only the last segment may end in zeros.
    private func cut() throws {
        let next = WALSegmentName(sequence: (segments.last?.sequence ?? 0) + 1, firstIndex: lastIndex + 1)
        try FileIO.sync(fd, path: currentPath)
        try FileIO.truncate(fd, to: size, path: currentPath)
        close()
        try createSegment(next)
        if !lastHardState.isEmpty {
            try append(WALRecord.hardState(lastHardState).framed(), sync: true)
        }
    }

    private func createSegment(_ name: WALSegmentName) throws {
        let path = directory + "/" + name.fileName
        let newFD = LibC.open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        if newFD < 0 { throw SystemError("create WAL segment \(path)") }
        fd = newFD
        size = 0
        segments.append(name)
        currentPath = path
        try preallocate()
        try FileIO.syncDirectory(directory)
    }

    /// Opens the newest segment to write after the `size` bytes of records replay found in it
    /// (its zeros, if any, are overwritten), preallocated as a new one would be.
    private func openLast(size: Int) throws {
        let path = directory + "/" + (segments.last?.fileName ?? "")
        currentPath = path
        let newFD = LibC.open(path, O_WRONLY | O_CLOEXEC)
        if newFD < 0 { throw SystemError("open WAL segment \(path)") }
        fd = newFD
        self.size = size
        try preallocate()
    }

    /// Reserves `segmentBytes` for the current segment and makes the new size durable now, so
    /// that the syncs after each append find it already written. Where the platform or file
    /// system cannot preallocate, the segment grows as it is written, as correct and slower.
    private func preallocate() throws {
        if LibC.preallocate(fd, segmentBytes) { try FileIO.sync(fd, path: currentPath) }
    }
}
