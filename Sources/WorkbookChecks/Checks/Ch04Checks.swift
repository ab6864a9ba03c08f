import Raft

/// The checks of chapter 4, unstable, Storage and raftLog.
enum Ch04Checks {
    static let exercises = [truncating, conflict, conflictByTerm]

    /// `EntryID(term:index:)`, shortened for tables: `e(1, 5)` is `1/5`.
    static func e(_ term: UInt64, _ index: UInt64) -> EntryID { EntryID(term: term, index: index) }

    // MARK: - 4.1 truncateAndAppend

    static let truncating = Exercise(
        ExerciseID(4, 1), "truncateAndAppend",
        summary: "Add a leader's entries to the unstable log: append, replace, or truncate then append.",
        symbol: "truncateAndAppend(_:_:)",
        hint: """
            Call the first new index `from` and compare it with the log's `end` and `offset`. \
            `from == end`: plain append. `from <= offset`: everything held is replaced, the \
            offset moves to `from`, and nothing is in flight any more (`offsetInProgress = \
            from`). `from > end`: a gap, refuse (nil). Otherwise keep the entries before `from`, \
            append the new ones, and pull `offsetInProgress` back to `from` if it was past it: a \
            write in flight for replaced entries no longer counts.
            """,
        subject: { $0.ch04 },
        checks: [
            Check("entries that continue the log are appended") { ch, expect in
                let held = UnstableLog(offset: 5, offsetInProgress: 7, entries: [e(1, 5), e(1, 6)])
                expect.equal(ch.truncateAndAppend(held, [e(1, 7), e(1, 8)]),
                             UnstableLog(offset: 5, offsetInProgress: 7, entries: [e(1, 5), e(1, 6), e(1, 7), e(1, 8)]),
                             "truncateAndAppend(\(held), [1/7 1/8])")
                let empty = UnstableLog(offset: 5, entries: [])
                expect.equal(ch.truncateAndAppend(empty, [e(2, 5)]),
                             UnstableLog(offset: 5, offsetInProgress: 5, entries: [e(2, 5)]),
                             "truncateAndAppend(\(empty), [2/5])")
                expect.equal(ch.truncateAndAppend(held, []), held, "truncateAndAppend(\(held), [])")
            },
            Check("entries from the offset or before replace everything held") { ch, expect in
                let held = UnstableLog(offset: 5, offsetInProgress: 7, entries: [e(1, 5), e(1, 6)])
                expect.equal(ch.truncateAndAppend(held, [e(2, 4), e(2, 5)]),
                             UnstableLog(offset: 4, offsetInProgress: 4, entries: [e(2, 4), e(2, 5)]),
                             "truncateAndAppend(\(held), [2/4 2/5])")
                expect.equal(ch.truncateAndAppend(held, [e(2, 5)]),
                             UnstableLog(offset: 5, offsetInProgress: 5, entries: [e(2, 5)]),
                             "truncateAndAppend(\(held), [2/5])")
                let empty = UnstableLog(offset: 5, entries: [])
                expect.equal(ch.truncateAndAppend(empty, [e(2, 3)]),
                             UnstableLog(offset: 3, offsetInProgress: 3, entries: [e(2, 3)]),
                             "truncateAndAppend(\(empty), [2/3])")
            },
            Check("entries inside the log truncate it, and pull back what is in flight") { ch, expect in
                let allInFlight = UnstableLog(offset: 5, offsetInProgress: 8, entries: [e(1, 5), e(1, 6), e(1, 7)])
                expect.equal(ch.truncateAndAppend(allInFlight, [e(2, 6)]),
                             UnstableLog(offset: 5, offsetInProgress: 6, entries: [e(1, 5), e(2, 6)]),
                             "truncateAndAppend(\(allInFlight), [2/6])")
                let someInFlight = UnstableLog(offset: 5, offsetInProgress: 6, entries: [e(1, 5), e(1, 6), e(1, 7)])
                expect.equal(ch.truncateAndAppend(someInFlight, [e(2, 7), e(2, 8)]),
                             UnstableLog(offset: 5, offsetInProgress: 6, entries: [e(1, 5), e(1, 6), e(2, 7), e(2, 8)]),
                             "truncateAndAppend(\(someInFlight), [2/7 2/8])")
            },
            Check("a gap after the last entry is refused") { ch, expect in
                let held = UnstableLog(offset: 5, entries: [e(1, 5)])
                expect.equal(ch.truncateAndAppend(held, [e(1, 7)]), nil, "truncateAndAppend(\(held), [1/7])")
                expect.equal(ch.truncateAndAppend(held, [e(1, 6)]),
                             UnstableLog(offset: 5, offsetInProgress: 5, entries: [e(1, 5), e(1, 6)]),
                             "truncateAndAppend(\(held), [1/6])")
            },
            .agreesWithReference(
                "agrees with Unstable.truncateAndAppend on 300 random logs",
                reference: Ch04Reference(),
                inputs: truncateCases,
                describe: { "truncateAndAppend(\($0.unstable), \(idList($0.entries)))" },
                { ch, c in ch.truncateAndAppend(c.unstable, c.entries) }),
        ])

    struct TruncateCase: Sendable {
        let unstable: UnstableLog
        let entries: [EntryID]
    }

    static let truncateCases: [TruncateCase] = SeededRandomNumberGenerator.cases(300, seed: 41) { rng in
        let offset = UInt64.random(in: 1...6, using: &rng)
        let count = UInt64.random(in: 0...4, using: &rng)
        let held = (0..<count).map { EntryID(term: 1 + $0 / 2, index: offset + $0) }
        let inProgress = UInt64.random(in: offset...(offset + count), using: &rng)
        let from = UInt64.random(in: (offset > 2 ? offset - 2 : 1)...(offset + count + 1), using: &rng)
        let term = UInt64.random(in: 1...3, using: &rng)
        let added = (0..<UInt64.random(in: 0...3, using: &rng)).map { EntryID(term: term, index: from + $0) }
        return TruncateCase(unstable: UnstableLog(offset: offset, offsetInProgress: inProgress, entries: held), entries: added)
    }

    // MARK: - 4.2 findConflict

    static let conflict = Exercise(
        ExerciseID(4, 2), "findConflict",
        summary: "Find the first of a leader's entries that the follower's log does not already hold.",
        symbol: "findConflict(log:entries:)",
        hint: """
            Walk the entries in order and compare each one's term with `log.term(at: entry.index)`. \
            The first mismatch is the answer — whether the log has another term there, or no \
            entry at all (nil: past the end). If every entry matches, return 0: by the Log \
            Matching property, the same term at the same index means the same entry and the \
            same log before it, so nothing needs to change.
            """,
        subject: { $0.ch04 },
        checks: [
            Check("entries the log already holds are no conflict") { ch, expect in
                let log = LogTerms([1, 1, 2])
                expect.equal(ch.findConflict(log: log, entries: [e(1, 1), e(1, 2)]), 0, "findConflict(log: \(log), entries: [1/1 1/2])")
                expect.equal(ch.findConflict(log: log, entries: [e(1, 2), e(2, 3)]), 0, "findConflict(log: \(log), entries: [1/2 2/3])")
                expect.equal(ch.findConflict(log: log, entries: [e(1, 2), e(2, 3), e(2, 4)]), 4,
                             "findConflict(log: \(log), entries: [1/2 2/3 2/4])")
            },
            Check("the first entry with another term is the conflict") { ch, expect in
                let log = LogTerms([1, 1, 2, 2])
                expect.equal(ch.findConflict(log: log, entries: [e(1, 2), e(3, 3), e(3, 4)]), 3,
                             "findConflict(log: \(log), entries: [1/2 3/3 3/4])")
                expect.equal(ch.findConflict(log: log, entries: [e(1, 1), e(1, 2), e(2, 3), e(3, 4)]), 4,
                             "findConflict(log: \(log), entries: [1/1 1/2 2/3 3/4])")
                expect.equal(ch.findConflict(log: log, entries: [e(2, 1)]), 1, "findConflict(log: \(log), entries: [2/1])")
            },
            Check("the first entry past the end of the log is new") { ch, expect in
                let log = LogTerms([1, 1])
                expect.equal(ch.findConflict(log: log, entries: [e(1, 2), e(1, 3), e(1, 4)]), 3,
                             "findConflict(log: \(log), entries: [1/2 1/3 1/4])")
                let empty = LogTerms([])
                expect.equal(ch.findConflict(log: empty, entries: [e(1, 1)]), 1, "findConflict(log: \(empty), entries: [1/1])")
            },
            Check("a compacted log is matched from its first entry") { ch, expect in
                let log = LogTerms([2, 3], compactedIndex: 5, compactedTerm: 2)
                expect.equal(ch.findConflict(log: log, entries: [e(2, 6), e(3, 7), e(3, 8)]), 8,
                             "findConflict(log: \(log), entries: [2/6 3/7 3/8])")
                expect.equal(ch.findConflict(log: log, entries: [e(2, 6), e(4, 7)]), 7,
                             "findConflict(log: \(log), entries: [2/6 4/7])")
                expect.equal(ch.findConflict(log: log, entries: [e(2, 6), e(3, 7)]), 0,
                             "findConflict(log: \(log), entries: [2/6 3/7])")
            },
            .agreesWithReference(
                "agrees with RaftLog.findConflict on 300 random logs",
                reference: Ch04Reference(),
                inputs: conflictCases,
                describe: { "findConflict(log: \($0.log), entries: \(idList($0.entries)))" },
                { ch, c in ch.findConflict(log: c.log, entries: c.entries) }),
        ])

    struct ConflictCase: Sendable {
        let log: LogTerms
        let entries: [EntryID]
    }

    /// A random log of up to 6 entries with non-decreasing terms, compacted half of the time.
    static func randomLog(_ rng: inout SeededRandomNumberGenerator) -> LogTerms {
        var term = UInt64.random(in: 1...2, using: &rng)
        let compacted = Bool.random(using: &rng) ? UInt64.random(in: 1...4, using: &rng) : 0
        let compactedTerm = compacted == 0 ? 0 : term
        var terms: [UInt64] = []
        for _ in 0..<Int.random(in: 0...6, using: &rng) {
            if Int.random(in: 0..<3, using: &rng) == 0 { term += 1 }
            terms.append(term)
        }
        return LogTerms(terms, compactedIndex: compacted, compactedTerm: compactedTerm)
    }

    static let conflictCases: [ConflictCase] = SeededRandomNumberGenerator.cases(300, seed: 42) { rng in
        let log = randomLog(&rng)
        let from = UInt64.random(in: log.firstIndex...(log.lastIndex + 1), using: &rng)
        var term = UInt64.random(in: 1...3, using: &rng)
        var entries: [EntryID] = []
        for k in 0..<UInt64.random(in: 1...4, using: &rng) {
            if Bool.random(using: &rng) { term += 1 }
            entries.append(EntryID(term: term, index: from + k))
        }
        return ConflictCase(log: log, entries: entries)
    }

    // MARK: - 4.3 findConflictByTerm

    static let conflictByTerm = Exercise(
        ExerciseID(4, 3), "findConflictByTerm",
        summary: "Skip a whole term of mismatching entries at once after a rejected append.",
        symbol: "findConflictByTerm(log:index:term:)",
        hint: """
            Start at `index` and walk down. At each index ask `log.term(at:)`: nil means we cannot \
            tell, so stop and answer (that index, term 0); a term <= the given term means our log may \
            agree up to here, so answer (that index, its term); a higher term cannot match an entry \
            of the given term (terms only grow along a log), so go on down. Reaching 0 answers \
            (0, 0). This is what lets a leader skip a whole diverged term per round trip.
            """,
        subject: { $0.ch04 },
        checks: [
            Check("the answer is the last index whose term is at most the given term") { ch, expect in
                let log = LogTerms([1, 1, 2, 2, 3])
                expect.equal(ch.findConflictByTerm(log: log, index: 5, term: 3), e(3, 5), "findConflictByTerm(log: \(log), index: 5, term: 3)")
                expect.equal(ch.findConflictByTerm(log: log, index: 5, term: 2), e(2, 4), "findConflictByTerm(log: \(log), index: 5, term: 2)")
                expect.equal(ch.findConflictByTerm(log: log, index: 5, term: 1), e(1, 2), "findConflictByTerm(log: \(log), index: 5, term: 1)")
            },
            Check("a whole run of higher terms is skipped at once") { ch, expect in
                let log = LogTerms([1, 3, 3, 3, 3])
                expect.equal(ch.findConflictByTerm(log: log, index: 5, term: 2), e(1, 1), "findConflictByTerm(log: \(log), index: 5, term: 2)")
                expect.equal(ch.findConflictByTerm(log: log, index: 4, term: 1), e(1, 1), "findConflictByTerm(log: \(log), index: 4, term: 1)")
            },
            Check("a term below every entry's gives 0/0") { ch, expect in
                let log = LogTerms([2, 2, 2])
                expect.equal(ch.findConflictByTerm(log: log, index: 3, term: 1), e(0, 0), "findConflictByTerm(log: \(log), index: 3, term: 1)")
                expect.equal(ch.findConflictByTerm(log: log, index: 3, term: 2), e(2, 3), "findConflictByTerm(log: \(log), index: 3, term: 2)")
            },
            Check("an index whose term is unknown stops the search, with term 0") { ch, expect in
                let log = LogTerms([3, 3, 4], compactedIndex: 4, compactedTerm: 2)
                expect.equal(ch.findConflictByTerm(log: log, index: 7, term: 1), e(0, 3), "findConflictByTerm(log: \(log), index: 7, term: 1)")
                expect.equal(ch.findConflictByTerm(log: log, index: 9, term: 5), e(0, 9), "findConflictByTerm(log: \(log), index: 9, term: 5)")
                expect.equal(ch.findConflictByTerm(log: log, index: 7, term: 2), e(2, 4), "findConflictByTerm(log: \(log), index: 7, term: 2)")
            },
            .agreesWithReference(
                "agrees with RaftLog.findConflictByTerm on 300 random logs",
                reference: Ch04Reference(),
                inputs: byTermCases,
                describe: { "findConflictByTerm(log: \($0.log), index: \($0.index), term: \($0.term))" },
                { ch, c in ch.findConflictByTerm(log: c.log, index: c.index, term: c.term) }),
        ])

    struct ByTermCase: Sendable {
        let log: LogTerms
        let index: UInt64
        let term: UInt64
    }

    static let byTermCases: [ByTermCase] = SeededRandomNumberGenerator.cases(300, seed: 43) { rng in
        let log = randomLog(&rng)
        return ByTermCase(log: log, index: UInt64.random(in: 0...(log.lastIndex + 2), using: &rng),
                          term: UInt64.random(in: 0...5, using: &rng))
    }
}
