import ExerciseSupport
import Raft
import RaftTesting

// Chapter 6's exercises and their checks. Each check runs the learner's function and the
// library's on twins (built alike) and compares what each did: what it returned, the progress
// (or the whole leader) left behind, the messages sent and the log lines written.

extension Catalog {
    static let ch06 = ChapterExercises(chapter: 6, exercises: [
        Exercise("6.1", "committedIndex", replaces: "MajorityConfig.committedIndex (Sources/Raft/Quorum/MajorityConfig.swift)",
                 file: "CommittedIndex.swift", summary: "the index a majority has acknowledged",
                 checks: Ch06Checks.committedIndex),
        Exercise("6.2", "sentEntries", replaces: "Progress.sentEntries (Sources/Raft/Tracker/Progress.swift)",
                 file: "SentEntries.swift", summary: "flow control after an append is sent",
                 checks: Ch06Checks.sentEntries),
        Exercise("6.3", "maybeDecrTo", replaces: "Progress.maybeDecrTo (Sources/Raft/Tracker/Progress.swift)",
                 file: "MaybeDecrTo.swift", summary: "a follower rejected an append: back off",
                 checks: Ch06Checks.maybeDecrTo),
        Exercise("6.4", "handleAppendRejection",
                 replaces: "RaftStateMachine.handleAppendRejection (Sources/Raft/Core/StepLeader.swift)",
                 file: "HandleAppendRejection.swift", summary: "the leader reads a follower's rejection",
                 checks: Ch06Checks.handleAppendRejection),
    ])
}

enum Ch06Checks {
    typealias F = Fixtures

    // MARK: 6.1

    static func compareCommitted(_ parts: Parts, _ expect: inout Expectations, voters: [UInt64],
                                 _ acked: [UInt64: UInt64]) throws {
        let yours = try parts.require(\.committedIndex, "6.1")
        let c = MajorityConfig(voters), l = MapAckIndexer(acked)
        let shown = acked.keys.sorted().map { "\($0): \(acked[$0]!)" }.joined(separator: ", ")
        expect.equal(yours(c, l), c.committedIndex(l), "committedIndex(voters \(c), acknowledged [\(shown)])")
    }

    static let committedIndex: [Check] = [
        Check("an odd number of voters: the highest index a majority holds") { parts, expect in
            try compareCommitted(parts, &expect, voters: [1], [1: 7])
            try compareCommitted(parts, &expect, voters: [1, 2, 3], [1: 5, 2: 4, 3: 3])
            try compareCommitted(parts, &expect, voters: [1, 2, 3], [1: 9, 2: 2, 3: 6])
            try compareCommitted(parts, &expect, voters: [1, 2, 3, 4, 5], [1: 9, 2: 9, 3: 1, 4: 2, 5: 3])
            try compareCommitted(parts, &expect, voters: [1, 2, 3, 4, 5], [1: 1, 2: 8, 3: 8, 4: 8, 5: 2])
            try compareCommitted(parts, &expect, voters: [1, 2, 3, 4, 5, 6, 7], [1: 10, 2: 3, 3: 9, 4: 4, 5: 8, 6: 5, 7: 7])
        },
        Check("an even number of voters: half of them is not a majority") { parts, expect in
            try compareCommitted(parts, &expect, voters: [1, 2], [1: 5, 2: 3])
            try compareCommitted(parts, &expect, voters: [1, 2, 3, 4], [1: 8, 2: 8, 3: 2, 4: 1])
            try compareCommitted(parts, &expect, voters: [1, 2, 3, 4, 5, 6], [1: 6, 2: 5, 3: 4, 4: 3, 5: 2, 6: 1])
        },
        Check("a voter with no acknowledged index counts as 0; non-voters do not count") { parts, expect in
            try compareCommitted(parts, &expect, voters: [1, 2, 3], [1: 5])
            try compareCommitted(parts, &expect, voters: [1, 2, 3], [1: 5, 3: 4])
            try compareCommitted(parts, &expect, voters: [1, 2, 3], [1: 5, 4: 5, 5: 5])
            try compareCommitted(parts, &expect, voters: [1, 2, 3, 4, 5], [2: 4, 4: 6, 5: 8])
        },
        Check("no voters at all: UInt64.max, so that an empty half never holds back a joint configuration") { parts, expect in
            try compareCommitted(parts, &expect, voters: [], [:])
            try compareCommitted(parts, &expect, voters: [], [1: 5, 2: 3])
        },
        Check("any voters and any acknowledgements: the same as the library") { parts, expect in
            var rng = SeededRandomNumberGenerator(seed: 61)
            for _ in 0..<500 {
                let voters = (1...9).filter { _ in UInt64.random(in: 0...2, using: &rng) > 0 }.map(UInt64.init)
                var acked: [UInt64: UInt64] = [:]
                for id in 1...9 where UInt64.random(in: 0...5, using: &rng) > 0 {
                    acked[UInt64(id)] = UInt64.random(in: 0...12, using: &rng)
                }
                try compareCommitted(parts, &expect, voters: voters, acked)
                if !expect.failures.isEmpty { return }
            }
        },
    ]

    // MARK: Progress, for 6.2 and 6.3

    /// A follower's progress in `state` with the given fields; `inflight` lists the appends in
    /// flight (last index and bytes) in a window of `window` messages and `maxBytes` bytes.
    static func progress(_ state: ProgressState, match: UInt64, next: UInt64, sentCommit: UInt64 = 0,
                         paused: Bool = false, inflight: [(UInt64, UInt64)] = [], window: Int = 3,
                         maxBytes: UInt64 = 0) -> Progress {
        var inflights = Inflights(size: window, maxBytes: maxBytes)
        for (index, bytes) in inflight { inflights.add(index, bytes: bytes) }
        return Progress(match: match, next: next, sentCommit: sentCommit, state: state, recentActive: true,
                        msgAppFlowPaused: paused, inflights: inflights)
    }

    /// Every field of a progress, as checks compare them.
    static func describe(_ pr: Progress) -> String {
        "\(pr.state) match=\(pr.match) next=\(pr.next) sentCommit=\(pr.sentCommit) "
            + "msgAppFlowPaused=\(pr.msgAppFlowPaused) inflights=\(pr.inflights.indexes) "
            + "(\(pr.inflights.bytes) bytes\(pr.inflights.full ? ", full" : ""))"
    }

    /// A progress's fields as its window's limits and contents, for the setting of a check.
    static func shown(_ pr: Progress) -> String {
        "[\(describe(pr)), window of \(pr.inflights.size) messages"
            + (pr.inflights.maxBytes > 0 ? " and \(pr.inflights.maxBytes) bytes]" : "]")
    }

    // MARK: 6.2

    static func compareSent(_ parts: Parts, _ expect: inout Expectations, _ make: () -> Progress,
                            entries: Int, bytes: UInt64) throws {
        let yours = try parts.require(\.sentEntries, "6.2")
        let mine = make(), theirs = make()
        yours(mine, entries, bytes)
        theirs.sentEntries(entries, bytes: bytes)
        expect.same(describe(mine), describe(theirs),
                    "sentEntries(\(shown(make())), entries: \(entries), bytes: \(bytes))")
    }

    static let sentEntries: [Check] = [
        Check("replicating: next moves past the entries sent and the window records the append") { parts, expect in
            try compareSent(parts, &expect, { progress(.replicate, match: 4, next: 5) }, entries: 3, bytes: 30)
            try compareSent(parts, &expect, { progress(.replicate, match: 4, next: 7, inflight: [(6, 10)]) },
                            entries: 1, bytes: 10)
            try compareSent(parts, &expect, { progress(.replicate, match: 4, next: 5, window: 10, maxBytes: 100) },
                            entries: 2, bytes: 40)
        },
        Check("replicating: the append that fills the window pauses, an empty one adds nothing") { parts, expect in
            try compareSent(parts, &expect, { progress(.replicate, match: 4, next: 7, inflight: [(5, 1), (6, 1)]) },
                            entries: 2, bytes: 2)
            try compareSent(parts, &expect, { progress(.replicate, match: 4, next: 5, window: 10, maxBytes: 100) },
                            entries: 5, bytes: 120)
            try compareSent(parts, &expect, { progress(.replicate, match: 4, next: 7, inflight: [(6, 1)]) },
                            entries: 0, bytes: 0)
            try compareSent(parts, &expect, {
                progress(.replicate, match: 4, next: 8, inflight: [(5, 1), (6, 1), (7, 1)])
            }, entries: 0, bytes: 0)
        },
        Check("probing: an append that carries entries pauses until the follower answers; an empty one does not") { parts, expect in
            try compareSent(parts, &expect, { progress(.probe, match: 0, next: 5) }, entries: 3, bytes: 30)
            try compareSent(parts, &expect, { progress(.probe, match: 2, next: 5) }, entries: 0, bytes: 0)
            try compareSent(parts, &expect, { progress(.probe, match: 4, next: 5, sentCommit: 4) }, entries: 1,
                            bytes: 0)
        },
        Check("any follower and any append: the same as the library") { parts, expect in
            var rng = SeededRandomNumberGenerator(seed: 62)
            for _ in 0..<300 {
                let replicating = Bool.random(using: &rng)
                let match = UInt64.random(in: 0...5, using: &rng)
                let window = Int.random(in: 1...4, using: &rng)
                let maxBytes: UInt64 = Bool.random(using: &rng) ? 0 : UInt64.random(in: 5...40, using: &rng)
                var inflight: [(UInt64, UInt64)] = []
                var next = match + 1
                var check = Inflights(size: window, maxBytes: maxBytes)
                if replicating {
                    for _ in 0..<Int.random(in: 0...window, using: &rng) where !check.full {
                        next += UInt64.random(in: 1...2, using: &rng)
                        let b = UInt64.random(in: 0...10, using: &rng)
                        check.add(next - 1, bytes: b)
                        inflight.append((next - 1, b))
                    }
                }
                let paused = Bool.random(using: &rng)
                // Entries go to a replicating follower only while its window has room.
                let entries = replicating && check.full ? 0 : Int.random(in: 0...3, using: &rng)
                let bytes = entries == 0 ? 0 : UInt64.random(in: 0...20, using: &rng)
                let n = next
                try compareSent(parts, &expect, {
                    progress(replicating ? .replicate : .probe, match: match, next: n, paused: paused,
                             inflight: inflight, window: window, maxBytes: maxBytes)
                }, entries: entries, bytes: bytes)
                if !expect.failures.isEmpty { return }
            }
        },
    ]

    // MARK: 6.3

    static func compareDecr(_ parts: Parts, _ expect: inout Expectations, _ make: () -> Progress,
                            rejected: UInt64, matchHint: UInt64) throws {
        let yours = try parts.require(\.maybeDecrTo, "6.3")
        let mine = make(), theirs = make()
        let setting = "maybeDecrTo(\(shown(make())), rejected: \(rejected), matchHint: \(matchHint))"
        expect.equal(yours(mine, rejected, matchHint), theirs.maybeDecrTo(rejected: rejected, matchHint: matchHint),
                     setting)
        expect.same(describe(mine), describe(theirs), "after \(setting)")
    }

    static let maybeDecrTo: [Check] = [
        Check("replicating: a rejection at or below match is stale: false, nothing changes") { parts, expect in
            try compareDecr(parts, &expect, { progress(.replicate, match: 5, next: 8, sentCommit: 5, inflight: [(7, 1)]) },
                            rejected: 5, matchHint: 5)
            try compareDecr(parts, &expect, { progress(.replicate, match: 5, next: 8, inflight: [(7, 1)]) },
                            rejected: 3, matchHint: 2)
        },
        Check("replicating: next falls back to match + 1, and so does what counts as the commit sent") { parts, expect in
            try compareDecr(parts, &expect, { progress(.replicate, match: 5, next: 9, sentCommit: 8, inflight: [(7, 1), (8, 1)]) },
                            rejected: 7, matchHint: 6)
            try compareDecr(parts, &expect, { progress(.replicate, match: 5, next: 9, sentCommit: 4, inflight: [(8, 1)]) },
                            rejected: 8, matchHint: 2)
        },
        Check("probing: a rejection of anything but the last append sent is stale") { parts, expect in
            try compareDecr(parts, &expect, { progress(.probe, match: 2, next: 8, paused: true) }, rejected: 5, matchHint: 4)
            try compareDecr(parts, &expect, { progress(.probe, match: 2, next: 8, paused: true) }, rejected: 8, matchHint: 4)
            try compareDecr(parts, &expect, { progress(.probe, match: 0, next: 4, sentCommit: 3, paused: true) },
                            rejected: 2, matchHint: 1)
        },
        Check("probing: next falls to the hint + 1 (or the rejected index, if lower), never below match + 1, and sending resumes") { parts, expect in
            try compareDecr(parts, &expect, { progress(.probe, match: 0, next: 10, sentCommit: 9, paused: true) },
                            rejected: 9, matchHint: 3)
            try compareDecr(parts, &expect, { progress(.probe, match: 0, next: 10, sentCommit: 5, paused: true) },
                            rejected: 9, matchHint: 20)
            try compareDecr(parts, &expect, { progress(.probe, match: 6, next: 10, paused: true) }, rejected: 9,
                            matchHint: 2)
            try compareDecr(parts, &expect, { progress(.probe, match: 0, next: 2, paused: true) }, rejected: 1,
                            matchHint: 0)
        },
        Check("any follower and any rejection: the same as the library") { parts, expect in
            var rng = SeededRandomNumberGenerator(seed: 63)
            for _ in 0..<300 {
                let replicating = Bool.random(using: &rng)
                let match = UInt64.random(in: 0...6, using: &rng)
                let next = match + UInt64.random(in: 1...4, using: &rng)
                let sentCommit = UInt64.random(in: 0...(next - 1), using: &rng)
                let inflight: [(UInt64, UInt64)] = replicating && next > match + 1 ? [(next - 1, UInt64(1))] : []
                let paused = Bool.random(using: &rng)
                // Mostly rejections of the last append sent, sometimes older or newer ones.
                let rejected = Bool.random(using: &rng) ? next - 1 : UInt64.random(in: 0...(next + 1), using: &rng)
                let matchHint = UInt64.random(in: 0...(rejected + 2), using: &rng)
                try compareDecr(parts, &expect, {
                    progress(replicating ? .replicate : .probe, match: match, next: next, sentCommit: sentCommit,
                             paused: paused, inflight: inflight)
                }, rejected: rejected, matchHint: matchHint)
                if !expect.failures.isEmpty { return }
            }
        },
    ]

    // MARK: 6.4

    /// The state of follower 2 on the leader, set by hand.
    struct Follower {
        var state: ProgressState
        var match: UInt64
        var next: UInt64
        var sentCommit: UInt64 = 0
        /// Appends in flight (their last indexes), when replicating.
        var inflight: [UInt64] = []

        var shown: String {
            "\(state) match=\(match) next=\(next)" + (inflight.isEmpty ? "" : " inflight \(inflight)")
        }
    }

    /// Node 1, leader at the term after the last of `terms` (its log: entries of `terms` from
    /// index 1, then its empty entry), of voters 1, 2 and 3, with follower 2 as given.
    static func leader(terms: [UInt64], committed: UInt64, follower: Follower, logger: CapturingLogger) -> RaftStateMachine {
        let last = terms.last ?? 0
        let storage = F.storage(terms: terms, voters: [1, 2, 3], hardState: HardState(term: last, vote: 0, commit: committed))
        let r = F.node(id: 1, storage: storage, logger: logger).raft
        r.becomeCandidate()
        r.becomeLeader()
        if let pr = r.trk.progress(of: 2) {
            if follower.state == .replicate { pr.becomeReplicate() }
            pr.recentActive = true
            pr.match = follower.match
            pr.next = follower.next
            pr.sentCommit = follower.sentCommit
            for index in follower.inflight { pr.inflights.add(index, bytes: 0) }
            // A probe was sent: the follower is paused until it answers.
            pr.msgAppFlowPaused = follower.state == .probe || pr.inflights.full
        }
        r.msgs = []
        logger.clear()
        return r
    }

    static func compareRejection(_ parts: Parts, _ expect: inout Expectations, terms: [UInt64], committed: UInt64 = 1,
                                 follower: Follower, rejected: UInt64, hint: UInt64, hintTerm: UInt64) throws {
        let yours = try parts.require(\.handleAppendRejection, "6.4")
        func twin() -> (RaftStateMachine, CapturingLogger) {
            let logger = CapturingLogger()
            return (leader(terms: terms, committed: committed, follower: follower, logger: logger), logger)
        }
        let (mine, myLines) = twin(), (theirs, theirLines) = twin()
        let m = Message(type: .msgAppResp, to: 1, from: 2, term: mine.term, logTerm: hintTerm, index: rejected,
                        reject: true, rejectHint: hint)
        guard let myProgress = mine.trk.progress(of: 2), let theirProgress = theirs.trk.progress(of: 2) else {
            expect.require(false, "the fixture leader has no progress for node 2")
            return
        }
        let log = (1...mine.raftLog.lastIndex()).map { "\(mine.raftLog.zeroTermOnOutOfBounds($0))/\($0)" }
        let setting = "leader 1 at term \(mine.term) with log [\(log.joined(separator: " "))] committed=\(mine.raftLog.committed), "
            + "follower 2 \(follower.shown), "
            + "receives a rejection of index \(rejected) with hint (index \(hint), term \(hintTerm))"
        yours(mine, m, myProgress)
        theirs.handleAppendRejection(m, theirProgress)
        expect.same(F.describe(mine), F.describe(theirs), setting)
        expect.sameLines(myLines, theirLines, setting)
    }

    static let handleAppendRejection: [Check] = [
        Check("a rejection without a term probes right after the follower's last index") { parts, expect in
            // The follower's log ends at 3: the hint carries no term.
            try compareRejection(parts, &expect, terms: [1, 1, 1, 1, 1, 1], follower: Follower(state: .probe, match: 0, next: 8),
                                 rejected: 7, hint: 3, hintTerm: 0)
            try compareRejection(parts, &expect, terms: [1, 1, 2, 2], follower: Follower(state: .probe, match: 1, next: 6),
                                 rejected: 5, hint: 0, hintTerm: 0)
        },
        Check("a rejection with the follower's term skips every entry of ours that cannot match") { parts, expect in
            // Our log: 1 1 1 4 4 4 5 5 | 6. The follower holds term 3 up to 6: our entries of
            // terms 4 and 5 cannot match; probe after our last entry of term <= 3.
            try compareRejection(parts, &expect, terms: [1, 1, 1, 4, 4, 4, 5, 5],
                                 follower: Follower(state: .probe, match: 0, next: 10), rejected: 9, hint: 6, hintTerm: 3)
            try compareRejection(parts, &expect, terms: [1, 1, 1, 4, 4, 4, 5, 5],
                                 follower: Follower(state: .probe, match: 0, next: 10), rejected: 9, hint: 8, hintTerm: 4)
            try compareRejection(parts, &expect, terms: [2, 2, 2, 2, 3, 3],
                                 follower: Follower(state: .probe, match: 1, next: 7), rejected: 6, hint: 6, hintTerm: 1)
        },
        Check("a replicating follower that rejects goes back to probing and gets a probe at once") { parts, expect in
            try compareRejection(parts, &expect, terms: [1, 1, 1, 2, 2, 2], committed: 3,
                                 follower: Follower(state: .replicate, match: 3, next: 7, sentCommit: 3, inflight: [5, 6]),
                                 rejected: 4, hint: 4, hintTerm: 1)
            try compareRejection(parts, &expect, terms: [1, 1, 1, 2, 2, 2], committed: 3,
                                 follower: Follower(state: .replicate, match: 2, next: 8, inflight: [7]),
                                 rejected: 7, hint: 5, hintTerm: 0)
        },
        Check("a stale rejection is logged, and changes and sends nothing") { parts, expect in
            try compareRejection(parts, &expect, terms: [1, 1, 1, 2, 2, 2],
                                 follower: Follower(state: .probe, match: 2, next: 6), rejected: 3, hint: 2, hintTerm: 1)
            try compareRejection(parts, &expect, terms: [1, 1, 1, 2, 2, 2], committed: 3,
                                 follower: Follower(state: .replicate, match: 5, next: 8, inflight: [7]),
                                 rejected: 4, hint: 4, hintTerm: 1)
        },
        Check("any follower and any rejection: the same as the library") { parts, expect in
            var rng = SeededRandomNumberGenerator(seed: 64)
            for _ in 0..<150 {
                var terms: [UInt64] = []
                var term: UInt64 = 1
                for _ in 0..<Int.random(in: 1...8, using: &rng) {
                    if UInt64.random(in: 0...2, using: &rng) == 0 { term += UInt64.random(in: 1...2, using: &rng) }
                    terms.append(term)
                }
                let lastIndex = UInt64(terms.count) + 1
                let replicating = Bool.random(using: &rng)
                let match = UInt64.random(in: 0...(lastIndex - 1), using: &rng)
                let next = UInt64.random(in: (match + 1)...(lastIndex + 1), using: &rng)
                let inflight: [UInt64] = replicating && next > match + 1 ? [next - 1] : []
                let rejected = Bool.random(using: &rng) ? next - 1 : UInt64.random(in: 0...(next - 1), using: &rng)
                let hint = UInt64.random(in: 0...rejected, using: &rng)
                let hintTerm = hint == 0 || Bool.random(using: &rng) ? 0 : UInt64.random(in: 1...(term + 1), using: &rng)
                try compareRejection(parts, &expect, terms: terms, committed: UInt64.random(in: 0...match, using: &rng),
                                     follower: Follower(state: replicating ? .replicate : .probe, match: match, next: next,
                                                        inflight: inflight),
                                     rejected: rejected, hint: hint, hintTerm: hintTerm)
                if !expect.failures.isEmpty { return }
            }
        },
    ]
}
