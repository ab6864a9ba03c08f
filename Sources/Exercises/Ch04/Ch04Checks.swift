import ExerciseSupport
import Raft
import RaftTesting

// Chapter 4's exercises and their checks. Each check runs the learner's function and the
// library's on twins (built alike) and compares what each did: the result, the state left
// behind, the error thrown, and the log lines written.

extension Catalog {
    static let ch04 = ChapterExercises(chapter: 4, exercises: [
        Exercise("4.1", "truncateAndAppend", replaces: "Unstable.truncateAndAppend (Sources/Raft/Log/Unstable.swift)",
                 file: "TruncateAndAppend.swift", summary: "take a leader's entries into the unstable log",
                 checks: Ch04Checks.truncateAndAppend),
        Exercise("4.2", "findConflict", replaces: "RaftLog.findConflict (Sources/Raft/Log/RaftLog.swift)",
                 file: "FindConflict.swift", summary: "the first of a leader's entries the log does not hold",
                 checks: Ch04Checks.findConflict),
        Exercise("4.3", "findConflictByTerm", replaces: "RaftLog.findConflictByTerm (Sources/Raft/Log/RaftLog.swift)",
                 file: "FindConflictByTerm.swift", summary: "where our log may still agree with another",
                 checks: Ch04Checks.findConflictByTerm),
        Exercise("4.4", "maybeAppend", replaces: "RaftLog.maybeAppend (Sources/Raft/Log/RaftLog.swift)",
                 file: "MaybeAppend.swift", summary: "a follower takes a leader's append",
                 checks: Ch04Checks.maybeAppend),
    ])
}

enum Ch04Checks {
    typealias F = Fixtures

    // MARK: 4.1

    /// Runs the learner's and the library's `truncateAndAppend` on twins of an unstable log, and
    /// compares the fields, the error and the log lines.
    static func compareTruncateAndAppend(_ parts: Parts, _ expect: inout Expectations,
                                         offset: UInt64, inProgress: UInt64? = nil, held: [UInt64],
                                         append first: UInt64, _ terms: [UInt64]) throws {
        let yours = try parts.require(\.truncateAndAppend, "4.1")
        func twin() -> (Unstable, CapturingLogger) {
            let logger = CapturingLogger()
            return (Unstable(entries: F.entries(from: offset, terms: held), offset: offset,
                             offsetInProgress: inProgress, logger: logger), logger)
        }
        let (mine, myLines) = twin(), (theirs, theirLines) = twin()
        let entries = F.entries(from: first, terms: terms)
        var myError: StorageError?, theirError: StorageError?
        do { try yours(mine, entries) } catch { myError = error }
        do { try theirs.truncateAndAppend(entries) } catch { theirError = error }
        let setting = "appending \(terms.enumerated().map { "\($1)/\(first + UInt64($0))" }) to "
            + F.describe(twin().0)
        expect.equal(myError.map { "\($0)" }, theirError.map { "\($0)" }, "\(setting): the error")
        expect.same(F.describe(mine), F.describe(theirs), setting)
        expect.sameLines(myLines, theirLines, setting)
    }

    static let truncateAndAppend: [Check] = [
        Check("entries that continue the log are appended") { parts, expect in
            try compareTruncateAndAppend(parts, &expect, offset: 5, inProgress: 7, held: [1, 1], append: 7, [1, 1])
            try compareTruncateAndAppend(parts, &expect, offset: 5, held: [], append: 5, [2])
            try compareTruncateAndAppend(parts, &expect, offset: 5, inProgress: 6, held: [1, 1], append: 7, [])
        },
        Check("entries from the offset or before replace everything held") { parts, expect in
            try compareTruncateAndAppend(parts, &expect, offset: 5, inProgress: 7, held: [1, 1], append: 4, [2, 2])
            try compareTruncateAndAppend(parts, &expect, offset: 5, inProgress: 7, held: [1, 1], append: 5, [2])
            try compareTruncateAndAppend(parts, &expect, offset: 5, held: [], append: 3, [2])
        },
        Check("entries inside the log truncate it, and pull back what is in flight") { parts, expect in
            try compareTruncateAndAppend(parts, &expect, offset: 5, inProgress: 8, held: [1, 1, 1], append: 6, [2])
            try compareTruncateAndAppend(parts, &expect, offset: 5, inProgress: 6, held: [1, 1, 1], append: 7, [2, 2])
            try compareTruncateAndAppend(parts, &expect, offset: 5, inProgress: 7, held: [1, 1, 1], append: 7, [3])
        },
        Check("a gap after the last entry is refused, changing nothing") { parts, expect in
            try compareTruncateAndAppend(parts, &expect, offset: 5, inProgress: 6, held: [1, 1], append: 8, [2])
            try compareTruncateAndAppend(parts, &expect, offset: 5, held: [], append: 7, [2, 2])
        },
        Check("any state and any append: the same as the library") { parts, expect in
            var rng = SeededRandomNumberGenerator(seed: 41)
            for _ in 0..<300 {
                let offset = UInt64.random(in: 1...6, using: &rng)
                let held = (0..<Int.random(in: 0...4, using: &rng)).map { _ in UInt64.random(in: 1...2, using: &rng) }.sorted()
                let inProgress = offset + UInt64.random(in: 0...UInt64(held.count), using: &rng)
                let first = UInt64.random(in: 1...(offset + UInt64(held.count) + 1), using: &rng)
                let terms = (0..<Int.random(in: 1...3, using: &rng)).map { _ in UInt64.random(in: 2...3, using: &rng) }.sorted()
                try compareTruncateAndAppend(parts, &expect, offset: offset, inProgress: inProgress, held: held,
                                             append: first, terms)
                if !expect.failures.isEmpty { return }
            }
        },
    ]

    // MARK: 4.2

    /// A log of `stable` terms in storage after `compacted`, then `unstable` terms, for twins.
    static func compareFindConflict(_ parts: Parts, _ expect: inout Expectations, compacted: UInt64 = 0,
                                    compactedTerm: UInt64 = 0, stable: [UInt64], unstable: [UInt64] = [],
                                    entries first: UInt64, _ terms: [UInt64]) throws {
        let yours = try parts.require(\.findConflict, "4.2")
        func twin() -> (RaftLog, CapturingLogger) {
            let logger = CapturingLogger()
            return (F.log(compacted: compacted, compactedTerm: compactedTerm, stable: stable, unstable: unstable,
                          logger: logger), logger)
        }
        let (mine, myLines) = twin(), (theirs, theirLines) = twin()
        let entries = F.entries(from: first, terms: terms)
        let setting = "findConflict(\(F.describe(mine)), entries \(entries.map { "\($0.term)/\($0.index)" }))"
        expect.equal(yours(mine, entries), theirs.findConflict(entries), setting)
        expect.sameLines(myLines, theirLines, setting)
    }

    static let findConflict: [Check] = [
        Check("entries the log already holds: 0") { parts, expect in
            try compareFindConflict(parts, &expect, stable: [1, 1, 2], entries: 1, [1, 1, 2])
            try compareFindConflict(parts, &expect, stable: [1, 1, 2], entries: 2, [1, 2])
            try compareFindConflict(parts, &expect, stable: [1, 1], unstable: [2, 3], entries: 3, [2, 3])
            try compareFindConflict(parts, &expect, stable: [1, 1, 2], entries: 1, [])
        },
        Check("entries past the end of the log are new: the first of them is the answer") { parts, expect in
            try compareFindConflict(parts, &expect, stable: [1, 1, 2], entries: 3, [2, 3, 3])
            try compareFindConflict(parts, &expect, stable: [1, 1, 2], entries: 4, [3])
            try compareFindConflict(parts, &expect, stable: [], entries: 1, [1])
        },
        Check("a different term at an index is a conflict, logged as etcd logs it") { parts, expect in
            try compareFindConflict(parts, &expect, stable: [1, 1, 2], entries: 2, [1, 3, 3])
            try compareFindConflict(parts, &expect, stable: [1, 1, 2, 2], unstable: [2], entries: 1, [1, 1, 4])
            try compareFindConflict(parts, &expect, compacted: 3, compactedTerm: 1, stable: [2, 2], entries: 4, [2, 4])
        },
        Check("any log and any entries: the same as the library") { parts, expect in
            var rng = SeededRandomNumberGenerator(seed: 42)
            for _ in 0..<300 {
                let stable = (0..<Int.random(in: 0...5, using: &rng)).map { _ in UInt64.random(in: 1...2, using: &rng) }
                    .sorted()
                let first = UInt64.random(in: 1...UInt64(stable.count + 2), using: &rng)
                let terms = (0..<Int.random(in: 0...4, using: &rng)).map { _ in UInt64.random(in: 1...3, using: &rng) }
                    .sorted()
                try compareFindConflict(parts, &expect, stable: stable, entries: first, terms)
                if !expect.failures.isEmpty { return }
            }
        },
    ]

    // MARK: 4.3

    static func compareByTerm(_ parts: Parts, _ expect: inout Expectations, compacted: UInt64 = 0,
                              compactedTerm: UInt64 = 0, stable: [UInt64], index: UInt64, term: UInt64) throws {
        let yours = try parts.require(\.findConflictByTerm, "4.3")
        let log = F.log(compacted: compacted, compactedTerm: compactedTerm, stable: stable)
        let mine = yours(log, index, term)
        let theirs = log.findConflictByTerm(index: index, term: term)
        expect.equal("(\(mine.index), \(mine.term))", "(\(theirs.index), \(theirs.term))",
                     "findConflictByTerm(\(F.describe(log)), index: \(index), term: \(term))")
    }

    static let findConflictByTerm: [Check] = [
        Check("the answer is the first index going down whose term is at most the given one") { parts, expect in
            try compareByTerm(parts, &expect, stable: [1, 1, 2, 3, 3], index: 5, term: 2)
            try compareByTerm(parts, &expect, stable: [1, 1, 2, 3, 3], index: 5, term: 3)
            try compareByTerm(parts, &expect, stable: [1, 1, 2, 3, 3], index: 4, term: 1)
            try compareByTerm(parts, &expect, stable: [2, 2, 4, 4, 4], index: 5, term: 3)
        },
        Check("no index qualifies: (0, 0)") { parts, expect in
            try compareByTerm(parts, &expect, stable: [2, 2, 3], index: 3, term: 1)
            try compareByTerm(parts, &expect, stable: [], index: 0, term: 5)
        },
        Check("an index whose term the log cannot tell stops the search, with term 0") { parts, expect in
            try compareByTerm(parts, &expect, stable: [1, 1, 2], index: 6, term: 3)
            try compareByTerm(parts, &expect, compacted: 4, compactedTerm: 2, stable: [3, 3], index: 6, term: 1)
            try compareByTerm(parts, &expect, compacted: 4, compactedTerm: 2, stable: [3, 3], index: 6, term: 2)
        },
        Check("any log and any probe: the same as the library") { parts, expect in
            var rng = SeededRandomNumberGenerator(seed: 43)
            for _ in 0..<300 {
                let compacted = UInt64.random(in: 0...3, using: &rng)
                let stable = (0..<Int.random(in: 0...5, using: &rng)).map { _ in UInt64.random(in: 2...5, using: &rng) }
                    .sorted()
                let index = UInt64.random(in: 0...(compacted + UInt64(stable.count) + 2), using: &rng)
                try compareByTerm(parts, &expect, compacted: compacted, compactedTerm: compacted == 0 ? 0 : 1,
                                  stable: stable, index: index, term: UInt64.random(in: 0...6, using: &rng))
                if !expect.failures.isEmpty { return }
            }
        },
    ]

    // MARK: 4.4

    static func compareMaybeAppend(_ parts: Parts, _ expect: inout Expectations, stable: [UInt64],
                                   unstable: [UInt64] = [], committed: UInt64, index: UInt64, logTerm: UInt64,
                                   leaderCommit: UInt64, _ terms: [UInt64]) throws {
        let yours = try parts.require(\.maybeAppend, "4.4")
        func twin() -> (RaftLog, CapturingLogger) {
            let logger = CapturingLogger()
            return (F.log(stable: stable, unstable: unstable, committed: committed, logger: logger), logger)
        }
        let (mine, myLines) = twin(), (theirs, theirLines) = twin()
        let entries = F.entries(from: index + 1, terms: terms)
        let setting = "maybeAppend(\(F.describe(mine)), index: \(index), logTerm: \(logTerm), committed: "
            + "\(leaderCommit), entries: \(entries.map { "\($0.term)/\($0.index)" }))"
        var myResult: String, theirResult: String
        do { myResult = show(try yours(mine, index, logTerm, leaderCommit, entries) as Any) } catch {
            myResult = "threw \(error)"
        }
        do {
            let slice = LogSlice(prev: EntryID(term: logTerm, index: index), entries: entries)
            theirResult = show(try theirs.maybeAppend(slice, committed: leaderCommit) as Any)
        } catch {
            theirResult = "threw \(error)"
        }
        expect.equal(myResult, theirResult, setting)
        expect.same(F.describe(mine), F.describe(theirs), "after \(setting)")
        expect.sameLines(myLines, theirLines, setting)
    }

    static let maybeAppend: [Check] = [
        Check("an append after an entry the log does not hold is refused: nil") { parts, expect in
            try compareMaybeAppend(parts, &expect, stable: [1, 1, 2], committed: 1, index: 3, logTerm: 3,
                                   leaderCommit: 3, [3])
            try compareMaybeAppend(parts, &expect, stable: [1, 1], committed: 1, index: 4, logTerm: 1,
                                   leaderCommit: 4, [1])
        },
        Check("new entries are appended and the last one vouched for is returned") { parts, expect in
            try compareMaybeAppend(parts, &expect, stable: [1, 1, 2], committed: 1, index: 3, logTerm: 2,
                                   leaderCommit: 3, [2, 2])
            try compareMaybeAppend(parts, &expect, stable: [1, 1, 2], committed: 1, index: 3, logTerm: 2,
                                   leaderCommit: 1, [])
        },
        Check("entries already held are kept, even below the commit index") { parts, expect in
            try compareMaybeAppend(parts, &expect, stable: [1, 1, 2, 2], committed: 3, index: 1, logTerm: 1,
                                   leaderCommit: 3, [1, 2, 2])
            try compareMaybeAppend(parts, &expect, stable: [1, 1, 2], committed: 3, index: 0, logTerm: 0,
                                   leaderCommit: 3, [1, 1, 2, 2])
        },
        Check("a conflicting tail is replaced from the first conflict on") { parts, expect in
            try compareMaybeAppend(parts, &expect, stable: [1, 1, 2, 2], committed: 2, index: 2, logTerm: 1,
                                   leaderCommit: 2, [2, 3, 3])
            try compareMaybeAppend(parts, &expect, stable: [1, 1], unstable: [2, 2], committed: 1, index: 1,
                                   logTerm: 1, leaderCommit: 1, [3])
        },
        Check("the commit index moves no further than the entries vouched for") { parts, expect in
            try compareMaybeAppend(parts, &expect, stable: [1, 1, 2, 2, 2], committed: 1, index: 2, logTerm: 1,
                                   leaderCommit: 5, [2])
            try compareMaybeAppend(parts, &expect, stable: [1, 1, 2], committed: 1, index: 3, logTerm: 2,
                                   leaderCommit: 9, [2, 2])
        },
        Check("a conflict with a committed entry is refused") { parts, expect in
            try compareMaybeAppend(parts, &expect, stable: [1, 1, 2, 2], committed: 3, index: 1, logTerm: 1,
                                   leaderCommit: 3, [3, 3])
        },
    ]
}
