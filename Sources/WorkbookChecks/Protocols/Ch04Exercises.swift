import Raft

/// Chapter 4, unstable, Storage and raftLog: how the log takes in a leader's entries.
///
/// Entries are given by their `EntryID`, which prints as term/index: `1/5` is the entry of term 1
/// at index 5.
public protocol Ch04Exercises: Sendable {
    /// Exercise 4.1, `truncateAndAppend` on the unstable log.
    ///
    /// Add `entries` (contiguous, increasing indexes) to `unstable`, the way `Unstable` does:
    /// entries from a leader win over the ones held from their first index on. Return the new
    /// unstable log, or nil when the entries would leave a gap after the last one held (the real
    /// one throws). No entries: nothing changes.
    func truncateAndAppend(_ unstable: UnstableLog, _ entries: [EntryID]) -> UnstableLog?

    /// Exercise 4.2, `findConflict`.
    ///
    /// A follower receives `entries` (contiguous, increasing indexes, starting after its
    /// compaction point). Return the index of the first one its `log` does not already hold — an
    /// index where the log has another term, or the first index past the log's end — or 0 when
    /// the log holds them all.
    func findConflict(log: LogTerms, entries: [EntryID]) -> UInt64

    /// Exercise 4.3, `findConflictByTerm`.
    ///
    /// Another log is known to have an entry of term `term` at `index`. Return our best guess of
    /// where our `log` still agrees with it: the largest index at or below `index` whose term is
    /// at most `term`, with that term; an index whose term we do not know (compacted away, or
    /// past our last entry) stops the search there, with term 0; (0, 0) when no index qualifies.
    func findConflictByTerm(log: LogTerms, index: UInt64, term: UInt64) -> EntryID
}

/// The unstable part of a log: entries raft holds that storage does not have durably yet.
///
/// Invariants: `entries[k].index == offset + k`, and
/// `offset <= offsetInProgress <= offset + entries.count`.
public struct UnstableLog: Sendable, Hashable, CustomStringConvertible {
    /// The index of `entries[0]`.
    public var offset: UInt64
    /// One past the last entry handed to the application for writing: the entries below it are
    /// being written, the others still have to be handed out.
    public var offsetInProgress: UInt64
    /// The entries, by id (term/index).
    public var entries: [EntryID]

    public init(offset: UInt64, offsetInProgress: UInt64? = nil, entries: [EntryID]) {
        self.offset = offset
        self.offsetInProgress = offsetInProgress ?? offset
        self.entries = entries
    }

    /// The index after the last entry.
    public var end: UInt64 { offset + UInt64(entries.count) }

    public var description: String {
        "UnstableLog(offset: \(offset), offsetInProgress: \(offsetInProgress), entries: \(idList(entries)))"
    }
}

/// A log as a list of terms: which term each index has.
///
/// The first entries may have been compacted into a snapshot; the last compacted entry's term is
/// still known (storage keeps it, so that an append after it can still be matched).
public struct LogTerms: Sendable, Hashable, CustomStringConvertible {
    /// The index of the last compacted entry (0: nothing was compacted).
    public var compactedIndex: UInt64
    /// Its term (0 when nothing was compacted).
    public var compactedTerm: UInt64
    /// The terms of the entries at `compactedIndex + 1`, `compactedIndex + 2`, ...
    public var terms: [UInt64]

    public init(_ terms: [UInt64], compactedIndex: UInt64 = 0, compactedTerm: UInt64 = 0) {
        self.terms = terms
        self.compactedIndex = compactedIndex
        self.compactedTerm = compactedTerm
    }

    /// The index of the first entry still held.
    public var firstIndex: UInt64 { compactedIndex + 1 }

    /// The index of the last entry (`compactedIndex` when no entry is held).
    public var lastIndex: UInt64 { compactedIndex + UInt64(terms.count) }

    /// The term of the entry at `index`, or nil when it is not known: compacted away, or past the
    /// last entry. Index 0 has term 0 in a log that was never compacted.
    public func term(at index: UInt64) -> UInt64? {
        if index == compactedIndex { return compactedTerm }
        guard index > compactedIndex, index <= lastIndex else { return nil }
        return terms[Int(index - compactedIndex - 1)]
    }

    /// The log as the Swift that builds it: `LogTerms([1, 1, 2])`.
    public var description: String {
        let list = "[" + terms.map(String.init).joined(separator: ", ") + "]"
        if compactedIndex == 0 { return "LogTerms(\(list))" }
        return "LogTerms(\(list), compactedIndex: \(compactedIndex), compactedTerm: \(compactedTerm))"
    }
}

/// Entry ids as `[1/5 1/6]` (term/index).
func idList(_ ids: [EntryID]) -> String {
    "[" + ids.map(\.description).joined(separator: " ") + "]"
}
