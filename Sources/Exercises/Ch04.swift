import Raft
import WorkbookChecks

/// Chapter 4, unstable, Storage and raftLog: how the log takes in a leader's entries.
///
/// Solve the exercises below, then check them with `swift run workbook check 4`. The questions
/// are documented on `Ch04Exercises`; the checks are in
/// `Sources/WorkbookChecks/Checks/Ch04Checks.swift`.
public struct Ch04: Ch04Exercises {
    public init() {}

    /// Exercise 4.1, `truncateAndAppend`: add a leader's entries to the unstable log; nil when
    /// they would leave a gap.
    ///
    /// Hint (`swift run workbook hint 4.1`): Call the first new index `from` and compare it with the
    /// log's `end` and `offset`. `from == end`: plain append. `from <= offset`: everything held is
    /// replaced, the offset moves to `from`, and nothing is in flight any more (`offsetInProgress =
    /// from`). `from > end`: a gap, refuse (nil). Otherwise keep the entries before `from`, append the
    /// new ones, and pull `offsetInProgress` back to `from` if it was past it: a write in flight for
    /// replaced entries no longer counts.
    public func truncateAndAppend(_ unstable: UnstableLog, _ entries: [EntryID]) -> UnstableLog? {
        // TODO(ch04): append, replace everything, or truncate then append; refuse a gap.
        unstable
    }

    /// Exercise 4.2, `findConflict`: the first of `entries` the log does not hold, or 0.
    ///
    /// Hint (`swift run workbook hint 4.2`): Walk the entries in order and compare each one's term with
    /// `log.term(at: entry.index)`. The first mismatch is the answer — whether the log has another term
    /// there, or no entry at all (nil: past the end). If every entry matches, return 0: by the Log
    /// Matching property, the same term at the same index means the same entry and the same log before
    /// it, so nothing needs to change.
    public func findConflict(log: LogTerms, entries: [EntryID]) -> UInt64 {
        // TODO(ch04): compare each entry's term with log.term(at:).
        0
    }

    /// Exercise 4.3, `findConflictByTerm`: the last index at or below `index` whose term is at
    /// most `term`, with that term.
    ///
    /// Hint (`swift run workbook hint 4.3`): Start at `index` and walk down. At each index ask
    /// `log.term(at:)`: nil means we cannot tell, so stop and answer (that index, term 0); a term <=
    /// the given term means our log may agree up to here, so answer (that index, its term); a higher
    /// term cannot match an entry of the given term (terms only grow along a log), so go on down.
    /// Reaching 0 answers (0, 0). This is what lets a leader skip a whole diverged term per round trip.
    public func findConflictByTerm(log: LogTerms, index: UInt64, term: UInt64) -> EntryID {
        // TODO(ch04): walk down from index; stop at an unknown term or a term <= term.
        EntryID(term: 0, index: 0)
    }
}
