import ExerciseSupport
import Raft
import RaftTesting

// Chapter 7's exercises and their checks. Each check builds a leader (7.1) or a follower (7.2)
// twice alike, runs the learner's function on one and the library's on the other, and compares
// what each did: the result, the error, the state left behind (log, configuration, progress,
// messages) and the log lines written.

extension Catalog {
    static let ch07 = ChapterExercises(chapter: 7, exercises: [
        Exercise("7.1", "maybeSendSnapshot",
                 replaces: "RaftStateMachine.maybeSendSnapshot (Sources/Raft/Core/RaftStateMachine+Send.swift)",
                 file: "MaybeSendSnapshot.swift", summary: "a leader sends a snapshot to a follower it cannot send entries",
                 checks: Ch07Checks.maybeSendSnapshot),
        Exercise("7.2", "restore", replaces: "RaftStateMachine.restore (Sources/Raft/Core/StepFollower.swift)",
                 file: "Restore.swift", summary: "a follower decides whether to take a snapshot, and takes it",
                 checks: Ch07Checks.restore),
    ])
}

enum Ch07Checks {
    typealias F = Fixtures

    /// A storage whose snapshot is being made: it answers `.snapshotTemporarilyUnavailable`.
    final class SnapshotBeingMade: Storage {
        let inner: MemoryStorage
        init(_ inner: MemoryStorage) { self.inner = inner }
        func initialState() throws(StorageError) -> (HardState, ConfState) { inner.initialState() }
        func entries(_ lo: UInt64, _ hi: UInt64, maxSize: UInt64) throws(StorageError) -> [Entry] {
            try inner.entries(lo, hi, maxSize: maxSize)
        }
        func term(_ i: UInt64) throws(StorageError) -> UInt64 { try inner.term(i) }
        func lastIndex() throws(StorageError) -> UInt64 { inner.lastIndex() }
        func firstIndex() throws(StorageError) -> UInt64 { inner.firstIndex() }
        func snapshot() throws(StorageError) -> Snapshot { throw StorageError.snapshotTemporarilyUnavailable }
    }

    /// A state machine (no RawNode around it) over `storage`, logging into `logger`.
    static func machine(id: UInt64, storage: any Storage, logger: any Logger) -> RaftStateMachine {
        F.node(id: id, storage: storage, logger: logger).raft
    }

    /// What checks compare of a state machine: `Fixtures.describe` plus the configuration, every
    /// progress (on any role, with its `sentCommit`), the log's bounds and its pending snapshot.
    static func describe(_ r: RaftStateMachine) -> String {
        var out = F.describe(r) + "\n"
        out += "log bounds: first=\(r.raftLog.firstIndex()) last=\(r.raftLog.lastIndex())"
        if let s = r.raftLog.unstable.snapshot { out += " pending snapshot: \(s)" }
        out += "\nconfig: \(r.trk.config) (this node a learner: \(r.isLearner))\n"
        r.trk.visit { id, pr in out += "\(id): \(pr) sentCommit=\(pr.sentCommit)\n" }
        return out
    }

    // MARK: 7.1

    /// How the follower's progress is set before the call.
    struct Follower: CustomStringConvertible {
        var id: UInt64 = 2
        var state: ProgressState = .probe
        var match: UInt64 = 0
        var next: UInt64 = 3
        var recentActive = true
        var inflight = 0
        var paused = false

        var description: String {
            "follower \(id) in \(state) match=\(match) next=\(next)" + (recentActive ? "" : " not recently active")
                + (inflight > 0 ? " with \(inflight) appends in flight" : "") + (paused ? " paused" : "")
        }
    }

    /// A leader at term 3 (voters 1 2 3, learner 4) whose storage holds a snapshot at
    /// (`compacted`, term 1) and entries of `terms` after it, then its own empty entry; the
    /// progress of `follower` set as given. Runs the learner's `maybeSendSnapshot` on one twin
    /// and the library's on the other, and compares.
    static func compareSend(_ parts: Parts, _ expect: inout Expectations, compacted: UInt64 = 5,
                            terms: [UInt64] = [1, 2, 2], available: Bool = true, _ follower: Follower) throws {
        let yours = try parts.require(\.maybeSendSnapshot, "7.1")
        func twin() -> (RaftStateMachine, Progress, CapturingLogger) {
            let logger = CapturingLogger()
            let memory = F.storage(compacted: compacted, compactedTerm: 1, terms: terms, learners: [4],
                                   hardState: HardState(term: 2, vote: 0, commit: compacted + UInt64(terms.count)))
            let r = machine(id: 1, storage: available ? memory : SnapshotBeingMade(memory), logger: logger)
            r.becomeCandidate()
            r.becomeLeader()
            guard let pr = r.trk.progress[follower.id] else { preconditionFailure("no progress for \(follower.id)") }
            pr.state = follower.state
            pr.match = follower.match
            pr.next = follower.next
            pr.recentActive = follower.recentActive
            if follower.state == .snapshot { pr.pendingSnapshot = follower.next - 1 }
            for k in 0..<follower.inflight { pr.inflights.add(follower.next + UInt64(k), bytes: 1) }
            pr.msgAppFlowPaused = follower.paused
            logger.clear()
            return (r, pr, logger)
        }
        let (mine, myProgress, myLines) = twin(), (theirs, theirProgress, theirLines) = twin()
        let setting = "leader 1 (log compacted up to \(compacted), last index \(theirs.raftLog.lastIndex())"
            + (available ? "" : ", snapshot temporarily unavailable") + ") catching up \(follower)"
        let mySent = yours(mine, follower.id, myProgress)
        let theirSent = theirs.maybeSendSnapshot(follower.id, theirProgress)
        expect.equal(mySent, theirSent, "maybeSendSnapshot: \(setting): whether a snapshot went out")
        expect.same(describe(mine), describe(theirs), "after \(setting)")
        expect.sameLines(myLines, theirLines, setting)
    }

    static let maybeSendSnapshot: [Check] = [
        Check("a follower heard from recently gets the storage's snapshot in a MsgSnap") { parts, expect in
            try compareSend(parts, &expect, Follower(id: 2, next: 3))
            try compareSend(parts, &expect, compacted: 4, terms: [2], Follower(id: 3, match: 1, next: 2))
            try compareSend(parts, &expect, Follower(id: 4, next: 5))
        },
        Check("a snapshot puts the follower's progress in StateSnapshot, pausing its appends") { parts, expect in
            try compareSend(parts, &expect, Follower(id: 2, state: .probe, match: 2, next: 3, paused: true))
            try compareSend(parts, &expect, Follower(id: 3, state: .replicate, match: 2, next: 6, inflight: 3))
            try compareSend(parts, &expect, compacted: 7, terms: [2, 2], Follower(id: 2, match: 0, next: 1))
        },
        Check("a follower not heard from recently gets no snapshot") { parts, expect in
            try compareSend(parts, &expect, Follower(id: 2, next: 3, recentActive: false))
            try compareSend(parts, &expect, Follower(id: 3, state: .replicate, match: 2, next: 4, recentActive: false,
                                                     inflight: 1))
        },
        Check("a snapshot the storage cannot give yet is not sent: raft asks again later") { parts, expect in
            try compareSend(parts, &expect, available: false, Follower(id: 2, next: 3))
            try compareSend(parts, &expect, available: false, Follower(id: 4, state: .replicate, match: 1, next: 2))
        },
        Check("any follower behind the compaction: the same as the library") { parts, expect in
            var rng = SeededRandomNumberGenerator(seed: 71)
            for _ in 0..<200 {
                let compacted = UInt64.random(in: 2...8, using: &rng)
                let terms = (0..<Int.random(in: 0...4, using: &rng)).map { _ in UInt64.random(in: 1...2, using: &rng) }
                    .sorted()
                let next = UInt64.random(in: 1...compacted, using: &rng)
                let state: ProgressState = [.probe, .probe, .replicate, .snapshot].randomElement(using: &rng) ?? .probe
                var follower = Follower(id: UInt64.random(in: 2...4, using: &rng), state: state,
                                        match: UInt64.random(in: 0...(next - 1), using: &rng), next: next,
                                        recentActive: Bool.random(using: &rng), paused: Bool.random(using: &rng))
                if state == .replicate { follower.inflight = Int.random(in: 0...3, using: &rng) }
                try compareSend(parts, &expect, compacted: compacted, terms: terms,
                                available: Int.random(in: 0..<5, using: &rng) > 0, follower)
                if !expect.failures.isEmpty { return }
            }
        },
    ]

    // MARK: 7.2

    /// Who receives the snapshot.
    enum Role: String { case follower, candidate, leader }

    /// Node 1 (voters 1 2 3) at term 2 as `role`, its log a snapshot at `compacted` (term 1),
    /// then `stable` terms, committed at `committed`. Gives it, on twins, the snapshot at
    /// (`index`, `term`) with `confState`, through the learner's `restore` and the library's, and
    /// compares the result, the error, the state left behind and the log lines.
    static func compareRestore(_ parts: Parts, _ expect: inout Expectations, role: Role = .follower,
                               compacted: UInt64 = 0, stable: [UInt64], committed: UInt64,
                               snapshot index: UInt64, term: UInt64, _ confState: ConfState = ConfState(voters: [1, 2, 3]))
        throws {
        let yours = try parts.require(\.restore, "7.2")
        func twin() -> (RaftStateMachine, CapturingLogger) {
            let logger = CapturingLogger()
            let storage = F.storage(compacted: compacted, compactedTerm: compacted == 0 ? 0 : 1, terms: stable,
                                    hardState: HardState(term: 2, vote: 0, commit: committed))
            let r = machine(id: 1, storage: storage, logger: logger)
            if role != .follower { r.becomeCandidate() }
            if role == .leader { r.becomeLeader() }
            logger.clear()
            return (r, logger)
        }
        let (mine, myLines) = twin(), (theirs, theirLines) = twin()
        let s = Snapshot(metadata: SnapshotMetadata(confState: confState, index: index, term: term))
        let setting = "restore(snapshot [index: \(index), term: \(term), \(confState.protoText)]) on a \(role.rawValue) "
            + "with \(F.describe(theirs.raftLog))"
        var myResult: String, theirResult: String
        do { myResult = "\(try yours(mine, s))" } catch { myResult = "threw \(error)" }
        do { theirResult = "\(try theirs.restore(s))" } catch { theirResult = "threw \(error)" }
        expect.equal(myResult, theirResult, setting)
        expect.same(describe(mine), describe(theirs), "after \(setting)")
        expect.sameLines(myLines, theirLines, setting)
    }

    static let restore: [Check] = [
        Check("a snapshot not newer than the commit index is ignored") { parts, expect in
            try compareRestore(parts, &expect, stable: [1, 1, 2, 2], committed: 3, snapshot: 2, term: 1)
            try compareRestore(parts, &expect, stable: [1, 1, 2, 2], committed: 3, snapshot: 3, term: 2)
            try compareRestore(parts, &expect, compacted: 5, stable: [2], committed: 5, snapshot: 5, term: 1)
        },
        Check("a node that is not a follower steps down instead") { parts, expect in
            try compareRestore(parts, &expect, role: .candidate, stable: [1, 1], committed: 1, snapshot: 5, term: 2)
            try compareRestore(parts, &expect, role: .leader, stable: [1, 1], committed: 1, snapshot: 5, term: 2)
        },
        Check("a snapshot whose configuration leaves this node out is refused") { parts, expect in
            try compareRestore(parts, &expect, stable: [1, 1], committed: 1, snapshot: 5, term: 2,
                               ConfState(voters: [2, 3, 4]))
            try compareRestore(parts, &expect, stable: [1, 1], committed: 1, snapshot: 5, term: 2,
                               ConfState(voters: [2, 3], learners: [4], learnersNext: [1]))
        },
        Check("a snapshot whose last entry the log holds only moves the commit index") { parts, expect in
            try compareRestore(parts, &expect, stable: [1, 1, 2, 2, 2], committed: 2, snapshot: 4, term: 2)
            try compareRestore(parts, &expect, stable: [1, 1, 2], committed: 1, snapshot: 3, term: 2)
            try compareRestore(parts, &expect, compacted: 3, stable: [2, 2, 3], committed: 3, snapshot: 5, term: 2,
                               ConfState(voters: [1, 2, 4]))
        },
        Check("otherwise the log and the configuration become the snapshot's") { parts, expect in
            try compareRestore(parts, &expect, stable: [1, 1, 2], committed: 1, snapshot: 6, term: 3)
            try compareRestore(parts, &expect, stable: [1, 1, 2, 2], committed: 2, snapshot: 4, term: 3,
                               ConfState(voters: [1, 2, 5], learners: [4]))
            try compareRestore(parts, &expect, stable: [1], committed: 1, snapshot: 9, term: 4,
                               ConfState(voters: [2, 3], learners: [1]))
            try compareRestore(parts, &expect, compacted: 2, stable: [1, 2], committed: 3, snapshot: 7, term: 2,
                               ConfState(voters: [1, 2, 4], votersOutgoing: [1, 2, 3], autoLeave: true))
            try compareRestore(parts, &expect, stable: [], committed: 0, snapshot: 3, term: 1,
                               ConfState(voters: [2, 3], learners: [4], votersOutgoing: [1, 2, 3], learnersNext: [1]))
        },
        Check("a snapshot that cannot be taken as it is is refused before anything changes") { parts, expect in
            try compareRestore(parts, &expect, stable: [1, 1], committed: 1, snapshot: 6, term: 2,
                               ConfState(voters: [1, 2], learners: [2]))
            try compareRestore(parts, &expect, stable: [1, 1], committed: 1, snapshot: 6, term: 2,
                               ConfState(voters: [1, 2, 1]))
            try compareRestore(parts, &expect, stable: [1, 1], committed: 1, snapshot: 6, term: 2,
                               ConfState(learners: [1]))
            try compareRestore(parts, &expect, stable: [1, 1], committed: 1, snapshot: .max, term: 2)
        },
        Check("any follower and any snapshot: the same as the library") { parts, expect in
            var rng = SeededRandomNumberGenerator(seed: 72)
            let confStates = [
                ConfState(voters: [1, 2, 3]), ConfState(voters: [1, 2, 3]), ConfState(voters: [2, 3]),
                ConfState(voters: [2, 3], learners: [1]), ConfState(voters: [1, 2], learners: [3, 4]),
                ConfState(voters: [1, 4], votersOutgoing: [1, 2, 3], autoLeave: true),
                ConfState(voters: [2, 3], votersOutgoing: [1, 2, 3], learnersNext: [1]),
                ConfState(voters: [1, 2], learners: [1]),
            ]
            let roles: [Role] = [.follower, .follower, .follower, .follower, .candidate, .leader]
            for _ in 0..<300 {
                let compacted = UInt64.random(in: 0...3, using: &rng)
                let stable = (0..<Int.random(in: 0...5, using: &rng)).map { _ in UInt64.random(in: 1...3, using: &rng) }
                    .sorted()
                let last = compacted + UInt64(stable.count)
                let committed = UInt64.random(in: compacted...last, using: &rng)
                try compareRestore(parts, &expect, role: roles.randomElement(using: &rng) ?? .follower,
                                   compacted: compacted, stable: stable, committed: committed,
                                   snapshot: UInt64.random(in: 0...(last + 2), using: &rng),
                                   term: UInt64.random(in: 1...3, using: &rng),
                                   confStates.randomElement(using: &rng) ?? confStates[0])
                if !expect.failures.isEmpty { return }
            }
        },
    ]
}
