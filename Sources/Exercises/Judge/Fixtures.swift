import Raft
import RaftTesting
import RaftSupport

/// Builders of real raft objects in a chosen state, and ways to compare two of them, for checks.
///
/// Checks run a learner's part and the library's own code on twins (two objects built alike),
/// then compare what each left behind: the state, the messages, and the log lines raft wrote
/// (etcd's transcripts compare those too).
package enum Fixtures {
    /// `EntryID(term:index:)`, short for tables: `e(1, 5)` is `1/5`.
    package static func e(_ term: UInt64, _ index: UInt64) -> EntryID { EntryID(term: term, index: index) }

    /// Entries with the given ids (terms and indexes), no payload.
    package static func entries(_ ids: [EntryID]) -> [Entry] { ids.map { Entry(term: $0.term, index: $0.index) } }

    /// Entries of the given terms at indexes `from`, `from + 1`, ...
    package static func entries(from: UInt64, terms: [UInt64]) -> [Entry] {
        terms.enumerated().map { Entry(term: $1, index: from + UInt64($0)) }
    }

    /// A storage holding a snapshot at (`compacted`, `compactedTerm`) with `voters`, then entries
    /// of `terms` after it, and `hardState`.
    package static func storage(
        compacted: UInt64 = 0, compactedTerm: UInt64 = 0, terms: [UInt64] = [],
        voters: [UInt64] = [1, 2, 3], learners: [UInt64] = [],
        hardState: HardState = HardState()
    ) -> MemoryStorage {
        let s = MemoryStorage()
        let cs = ConfState(voters: voters, learners: learners)
        do {
            try s.applySnapshot(
                Snapshot(metadata: SnapshotMetadata(confState: cs, index: compacted, term: compactedTerm)))
            try s.append(entries(from: compacted + 1, terms: terms))
        } catch {
            preconditionFailure("fixture storage: \(error)")
        }
        if !hardState.isEmpty { s.setHardState(hardState) }
        return s
    }

    /// A log over `storage(compacted:compactedTerm:terms:)` with `unstable` terms appended after
    /// it (from `unstableFrom`, which may overwrite stored entries), committed at `committed`.
    package static func log(
        compacted: UInt64 = 0, compactedTerm: UInt64 = 0, stable: [UInt64],
        unstable: [UInt64] = [], unstableFrom: UInt64? = nil, committed: UInt64 = 0,
        logger: (any Logger)? = nil, parts: Parts = Parts()
    ) -> RaftLog {
        let log = RaftLog(
            storage: storage(compacted: compacted, compactedTerm: compactedTerm, terms: stable),
            logger: logger ?? DiscardLogger(), parts: parts)
        let from = unstableFrom ?? compacted + UInt64(stable.count) + 1
        do {
            if !unstable.isEmpty { try log.unstable.truncateAndAppend(entries(from: from, terms: unstable)) }
            if committed > log.committed { try log.commitTo(committed) }
        } catch {
            preconditionFailure("fixture log: \(error)")
        }
        return log
    }

    /// A log's entries as term/index ids, with its bounds: what checks compare.
    package static func describe(_ log: RaftLog) -> String {
        let first = log.firstIndex(), last = log.lastIndex()
        var ids: [String] = []
        if first <= last {
            for i in first...last { ids.append("\(log.zeroTermOnOutOfBounds(i))/\(i)") }
        }
        return "log [\(ids.joined(separator: " "))] committed=\(log.committed) unstable offset=\(log.unstable.offset) "
            + "in progress to \(log.unstable.offsetInProgress)"
    }

    /// An unstable log's fields, as checks compare them.
    package static func describe(_ u: Unstable) -> String {
        "Unstable(offset: \(u.offset), offsetInProgress: \(u.offsetInProgress), entries: ["
            + u.entries.map { "\($0.term)/\($0.index)" }.joined(separator: " ") + "])"
    }

    /// A node (RawNode over `storage`) with `parts` plugged in, logging into `logger`.
    package static func node(
        id: UInt64 = 1, storage: any Storage, parts: Parts = Parts(), logger: any Logger,
        configure: (inout Config) -> Void = { _ in }
    ) -> RawNode {
        var c = Config(id: id, electionTick: 10, heartbeatTick: 1, storage: storage)
        c.maxSizePerMsg = noLimit
        c.logger = logger
        c.parts = parts
        c.randomNumberGenerator = SeededRandomNumberGenerator(seed: id)
        configure(&c)
        do { return try RawNode(config: c) } catch { preconditionFailure("fixture node: \(error)") }
    }

    /// What a state machine shows from outside: role, term, vote, leader, log, messages waiting to
    /// go, progress, pending reads. Two twins that behaved alike describe alike.
    package static func describe(_ r: RaftStateMachine) -> String {
        var out = "\(r.state) term=\(r.term) vote=\(r.vote) lead=\(r.lead) \(describe(r.raftLog))\n"
        if r.state == .leader {
            out += "progress:\n" + r.trk.progress.progressDescription
        }
        if !r.msgs.isEmpty { out += "msgs:\n" + r.msgs.map { "  " + $0.describe() }.joined(separator: "\n") + "\n" }
        if !r.msgsAfterAppend.isEmpty {
            out += "msgsAfterAppend:\n" + r.msgsAfterAppend.map { "  " + $0.describe() }.joined(separator: "\n") + "\n"
        }
        if !r.readStates.isEmpty { out += "readStates: \(r.readStates)\n" }
        if !r.pendingReadIndexMessages.isEmpty { out += "held reads: \(r.pendingReadIndexMessages.count)\n" }
        if !r.readOnly.readIndexQueue.isEmpty {
            out += "read queue: \(r.readOnly.readIndexQueue.map { String(decoding: $0, as: UTF8.self) })\n"
        }
        if r.leadTransferee != PeerID.none { out += "transferring to \(r.leadTransferee)\n" }
        out += "electionElapsed=\(r.electionElapsed) pendingConfIndex=\(r.pendingConfIndex)"
        return out
    }
}

extension Expectations {
    /// Two descriptions of twins (the learner's and the library's) must agree; the failure shows
    /// the first line where they differ, after `setting` (what was done to both).
    package mutating func same(_ yours: String, _ reference: String, _ setting: @autoclosure () -> String) {
        guard yours != reference else {
            require(true, "")
            return
        }
        let a = yours.split(separator: "\n", omittingEmptySubsequences: false)
        let b = reference.split(separator: "\n", omittingEmptySubsequences: false)
        var k = 0
        while k < a.count, k < b.count, a[k] == b[k] { k += 1 }
        let got = k < a.count ? String(a[k]) : "(nothing)"
        let want = k < b.count ? String(b[k]) : "(nothing)"
        require(false, "\(setting())\n    yours:    \(got)\n    expected: \(want)")
    }

    /// The log lines of two twins must agree (etcd's transcripts print them).
    package mutating func sameLines(
        _ yours: CapturingLogger, _ reference: CapturingLogger,
        _ setting: @autoclosure () -> String
    ) {
        same(
            yours.lines.joined(separator: "\n"), reference.lines.joined(separator: "\n"), "\(setting()), the log lines")
    }
}
