import Foundation
import RaftTesting
import Testing
import Raft
import RaftSupport
@testable import RaftKV

/// The append thread writes what the Ready loop hands it in order, tells `flush` when it is done,
/// and stops writing at the first failure; and the Ready loop's storage messages are synced
/// exactly when what they carry may be promised to someone.
@Suite struct AppendThreadTests {
    static func append(_ index: UInt64) -> Message {
        Message(type: .msgStorageAppend, to: PeerID.localAppendThread, from: 1,
                entries: [Entry(term: 1, index: index, data: [UInt8(index)])])
    }

    /// Every message submitted reaches `write`, once and in order, and `flush` returns only once
    /// all that was submitted before it is written.
    @Test func writesInOrderAndFlushWaitsForAll() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let (wal, _) = try WAL.open(directory: dir.path, logger: CapturingLogger(level: .info))
        let seen = Locked<[UInt64]>([])
        let appender = AppendThread(wal: wal, write: { batch, _ in
            usleep(2_000) // slow enough that later submissions queue up into one batch
            seen.withLock { $0 += batch.map { $0.entries[0].index } }
        }, failed: { _ in })
        for i in 1...50 { appender.submit(Self.append(UInt64(i))) }
        #expect(appender.flush())
        #expect(seen.withLock { $0 } == Array(1...50))
        appender.stop()
    }

    /// A write that fails ends the thread: it reports the error once, nothing submitted later is
    /// written, and `flush` says the writes did not all happen.
    @Test func aFailedWriteStopsEverythingAfterIt() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let (wal, _) = try WAL.open(directory: dir.path, logger: CapturingLogger(level: .info))
        let seen = Locked<[UInt64]>([])
        let errors = Locked(0)
        let appender = AppendThread(wal: wal, write: { batch, _ in
            let indexes = batch.map { $0.entries[0].index }
            if indexes.contains(3) { throw SystemError("disk full") }
            seen.withLock { $0 += indexes }
        }, failed: { _ in errors.withLock { $0 += 1 } })
        appender.submit(Self.append(1))
        #expect(appender.flush())
        appender.submit(Self.append(3))
        appender.submit(Self.append(4))
        #expect(!appender.flush())
        appender.submit(Self.append(5))
        #expect(!appender.flush())
        #expect(seen.withLock { $0 } == [1])
        #expect(errors.withLock { $0 } == 1)
        appender.stop()
    }

    /// `stop` writes what is already queued before the thread ends and closes the WAL.
    @Test func stopWritesWhatIsQueued() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let (wal, _) = try WAL.open(directory: dir.path, logger: CapturingLogger(level: .info))
        let appender = AppendThread(wal: wal, write: { batch, wal in
            for m in batch { try wal.save(hardState: HardState(), entries: m.entries, sync: false) }
            try wal.sync()
        }, failed: { _ in })
        for i in 1...20 { appender.submit(Self.append(UInt64(i))) }
        appender.stop()
        let (_, replay) = try WAL.open(directory: dir.path, logger: CapturingLogger(level: .info))
        #expect(replay.entries.map(\.index) == Array(1...20))
    }

    /// Entries, a new term and a new vote must be durable before anything promises them; a commit
    /// index alone, or nothing, need not be synced.
    @Test func syncsExactlyWhatMayBePromised() {
        let last = HardState(term: 2, vote: 1, commit: 5)
        var m = Message(type: .msgStorageAppend, to: PeerID.localAppendThread, from: 1)
        #expect(!RaftKVNode.mustSync(m, after: last))
        m.term = 2; m.vote = 1; m.commit = 7
        #expect(!RaftKVNode.mustSync(m, after: last))
        m.term = 3
        #expect(RaftKVNode.mustSync(m, after: last))
        m.term = 2; m.vote = 3
        #expect(RaftKVNode.mustSync(m, after: last))
        #expect(RaftKVNode.mustSync(Self.append(6), after: last))
    }
}
