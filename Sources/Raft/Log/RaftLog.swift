/// Raft's whole view of its log: the durable part in `Storage`, the not-yet-durable tail in
/// `Unstable`, and the positions raft tracks in it (what is committed, handed to the application
/// to apply, and applied).
///
/// ```
///   firstIndex            unstable.offset                      lastIndex
///       |   storage (durable)   |   unstable (being persisted)    |
///   ... applied ... applying ... committed ...
/// ```
///
/// Invariants (checked by `checkInvariants()`):
/// - `applied <= applying <= committed`;
/// - `committed <= lastIndex()`;
/// - `unstable` satisfies its own invariants.
///
/// It also relies on the application: when it reports entries or a snapshot durable
/// (`stableTo`, `stableSnapTo`), storage must hold them, so that the log read through storage
/// below `unstable.offset` has no gap.
///
/// Errors: a caller's out-of-range index (a corrupt message, a broken caller) throws
/// `StorageError.invalidIndex` with the text etcd panics with; storage failures that etcd treats
/// as fatal go to `logger.panic`, as in etcd.
///
/// Stored properties skip the run-time exclusivity checks: see `RaftStateMachine`.
///
/// etcd: `raftLog`.
///
/// `package` (with its init and the two conflict searches) for the workbook's reference solutions.
package final class RaftLog: CustomStringConvertible {
    /// The durable log, read-only for raft: the application writes it.
    package let storage: any Storage
    /// `storage` when it is a `MemoryStorage`: its reads are then called directly rather than
    /// through the protocol, and `term` takes its lock once instead of three times.
    private let memoryStorage: MemoryStorage?
    /// The entries and snapshot not yet confirmed durable.
    package let unstable: Unstable
    /// The highest index known to be durable on a quorum; it never decreases.
    /// Invariant: `applying <= committed <= lastIndex()`.
    @exclusivity(unchecked) package var committed: UInt64
    /// The highest index handed to the application to apply (it may still be applying).
    /// Invariant: `applied <= applying <= committed`.
    @exclusivity(unchecked) package var applying: UInt64
    /// The highest index the application reports applied. Invariant: `applied <= committed`.
    @exclusivity(unchecked) package var applied: UInt64
    /// Where notices (conflicts, replaced entries, restores) go.
    package let logger: any Logger
    /// The most bytes (encoded size) of committed entries handed out for applying and not yet
    /// reported applied; past it, handing out pauses until `appliedTo` reports progress.
    package let maxApplyingEntsSize: EntryEncodingSize
    /// The bytes handed out for applying and not yet reported applied. Pausing is decided from it
    /// whenever it changes: `applyingEntsPaused` holds once it reaches `maxApplyingEntsSize`.
    @exclusivity(unchecked) package var applyingEntsSize: EntryEncodingSize
    /// Whether handing out committed entries is paused by `maxApplyingEntsSize`.
    @exclusivity(unchecked) package var applyingEntsPaused: Bool
    /// The learner's pieces of raft (`Config.parts`), for the log's own calls to them.
    package let parts: Parts

    /// A log over `storage` as the application left it: committed and applied are taken to be at
    /// the last compaction point (the snapshot), and nothing is unstable.
    ///
    /// A storage that cannot tell its first or last index is fatal, as in etcd.
    ///
    /// etcd: `newLogWithSize` (and `newLog` with the default limit).
    package init(storage: any Storage, logger: any Logger, maxApplyingEntsSize: EntryEncodingSize = .unlimited, parts: Parts = Parts()) {
        let firstIndex: UInt64
        let lastIndex: UInt64
        do {
            firstIndex = try storage.firstIndex()
            lastIndex = try storage.lastIndex()
        } catch {
            logger.panic("\(error)")
        }
        guard firstIndex >= 1, lastIndex < .max else {
            logger.panic("storage bounds [\(firstIndex), \(lastIndex)] are out of range")
        }
        self.storage = storage
        self.memoryStorage = storage as? MemoryStorage
        self.logger = logger
        self.maxApplyingEntsSize = maxApplyingEntsSize
        self.unstable = Unstable(offset: lastIndex + 1, logger: logger)
        self.committed = firstIndex - 1
        self.applying = firstIndex - 1
        self.applied = firstIndex - 1
        self.applyingEntsSize = 0
        self.applyingEntsPaused = false
        self.parts = parts
    }

    /// The positions, in etcd's words: this text appears in the "starts to restore snapshot" line.
    ///
    /// etcd: `raftLog.String`.
    package var description: String {
        "committed=\(committed), applied=\(applied), applying=\(applying), unstable.offset=\(unstable.offset), unstable.offsetInProgress=\(unstable.offsetInProgress), len(unstable.Entries)=\(unstable.entries.count)"
    }

    // MARK: - Bounds and terms

    /// The first index whose entry is still available: after the unstable snapshot if there is
    /// one, else storage's. A storage failure is fatal, as in etcd.
    ///
    /// etcd: `raftLog.firstIndex`.
    package func firstIndex() -> UInt64 {
        if let i = unstable.maybeFirstIndex() { return i }
        if let memoryStorage { return memoryStorage.firstIndex() }
        do { return try storage.firstIndex() } catch { logger.panic("\(error)") }
    }

    /// The index of the last entry: the unstable tail's if it has one, else storage's.
    ///
    /// etcd: `raftLog.lastIndex`.
    package func lastIndex() -> UInt64 {
        if let i = unstable.maybeLastIndex() { return i }
        if let memoryStorage { return memoryStorage.lastIndex() }
        do { return try storage.lastIndex() } catch { logger.panic("\(error)") }
    }

    /// The term of the entry at `i`, valid for `i` in `[firstIndex()-1, lastIndex()]` (the entry
    /// before the first is gone but its term is kept, to match appends against it).
    ///
    /// Throws `.compacted` below that range and `.unavailable` above it; any other storage
    /// failure is fatal, as in etcd.
    ///
    /// etcd: `raftLog.term`.
    package func term(_ i: UInt64) throws(StorageError) -> UInt64 {
        // The unstable part first: it needs no storage call, and what it knows is in range.
        if let t = unstable.maybeTerm(i) { return t }
        if let memoryStorage {
            return try memoryStorage.term(i, unstableFirst: unstable.maybeFirstIndex(), unstableLast: unstable.maybeLastIndex())
        }
        // Wrapping as etcd's unsigned arithmetic does: UInt64.max counts as compacted.
        if i &+ 1 < firstIndex() { throw .compacted }
        if i > lastIndex() { throw .unavailable }
        do {
            return try storage.term(i)
        } catch let error as StorageError where error == .compacted || error == .unavailable {
            throw error
        } catch {
            logger.panic("\(error)")
        }
    }

    /// The term at `i`, or 0 when `i` is outside the log: for log lines and comparisons where an
    /// unknown term simply does not match.
    ///
    /// etcd: `raftLog.zeroTermOnOutOfBounds`.
    package func zeroTermOnOutOfBounds(_ i: UInt64) -> UInt64 {
        do { return try term(i) } catch { return 0 }
    }

    /// The term of the last entry.
    ///
    /// etcd: `raftLog.lastTerm`.
    package func lastTerm() -> UInt64 { lastEntryID().term }

    /// The index and term of the last entry: what a candidate advertises and a voter compares.
    ///
    /// etcd: `raftLog.lastEntryID` (`tip` in older versions).
    package func lastEntryID() -> EntryID {
        let index = lastIndex()
        do {
            return EntryID(term: try term(index), index: index)
        } catch {
            logger.panic("unexpected error when getting the last term at \(index): \(error)")
        }
    }

    /// Whether our log holds the entry `id` (same term at that index). By the Log Matching
    /// property, it then also holds every entry before it.
    ///
    /// etcd: `raftLog.matchTerm`.
    package func matchTerm(_ id: EntryID) -> Bool {
        do { return try term(id.index) == id.term } catch { return false }
    }

    /// Whether a log ending at `their` is at least as up to date as ours (Raft §5.4.1): a later
    /// last term wins; with equal last terms, the longer log wins; equal logs count as up to date.
    ///
    /// etcd: `raftLog.isUpToDate`.
    package func isUpToDate(_ their: EntryID) -> Bool {
        let our = lastEntryID()
        return their.term > our.term || (their.term == our.term && their.index >= our.index)
    }

    // MARK: - Appending

    /// Appends a leader's entries that follow the entry at (`index`, `logTerm`), as a follower
    /// does on MsgApp, and advances the commit index to `min(committed, last new index)`.
    ///
    /// Returns `nil` when our log does not hold (`index`, `logTerm`): the leader must go back.
    /// Otherwise returns the index of the last entry the message covers. Entries we already hold
    /// are kept; from the first conflicting one on, ours are replaced.
    ///
    /// Throws `.invalidIndex` when a conflict is at or below the commit index (committed entries
    /// never change: etcd panics), or when the entries do not follow `index` contiguously.
    ///
    /// etcd: `raftLog.maybeAppend`.
    package func maybeAppend(index: UInt64, logTerm: UInt64, committed: UInt64, entries: [Entry]) throws(StorageError) -> UInt64? {
        if let first = entries.first, first.index == 0 || first.index != index &+ 1 {
            throw .invalidIndex("entries start at index \(first.index), not after \(index)")
        }
        try entries.checkContiguous()
        guard matchTerm(EntryID(term: logTerm, index: index)) else { return nil }

        // Contiguous from index + 1 and below UInt64.max, so this cannot overflow.
        let lastNewIndex = index + UInt64(entries.count)
        let conflict = if let yours = parts.findConflict { yours(self, entries) } else { findConflict(entries) }
        if conflict != 0 {
            if conflict <= self.committed {
                throw .invalidIndex("entry \(conflict) conflict with committed entry [committed(\(self.committed))]")
            }
            let start = index + 1
            if conflict < start || conflict - start > UInt64(entries.count) {
                throw .invalidIndex("index, \(conflict &- start), is out of range [\(entries.count)]")
            }
            // The common case, all entries new, hands the message's array on without a copy.
            let fresh = conflict == start ? entries : Array(entries[Int(conflict - start)...])
            try append(fresh)
        }
        try commitTo(min(committed, lastNewIndex))
        return lastNewIndex
    }

    /// Appends `entries` to the log, replacing any unstable entry at or after the first of them,
    /// and returns the new last index. Empty `entries` change nothing.
    ///
    /// Throws `.invalidIndex` when this would replace a committed entry (etcd panics), leave a
    /// gap after the last entry, or when the entries are not contiguous.
    ///
    /// etcd: `raftLog.append`.
    @discardableResult
    package func append(_ entries: [Entry]) throws(StorageError) -> UInt64 {
        guard let first = entries.first else { return lastIndex() }
        if first.index == 0 || first.index - 1 < committed {
            throw .invalidIndex("after(\(first.index &- 1)) is out of range [committed(\(committed))]")
        }
        try entries.checkContiguous()
        if let yours = parts.truncateAndAppend {
            // The learner's code does not keep the last batch for sharing: forget it, so that no
            // slice is served from entries their code may have replaced.
            unstable.forgetAppendedBatch()
            try yours(unstable, entries)
        } else {
            try unstable.truncateAndAppend(entries)
        }
        return lastIndex()
    }

    /// The index of the first of `entries` that our log does not hold: a conflict (same index,
    /// other term) or the first new entry. 0 when we hold them all. Conflicts with an existing
    /// entry are logged at INFO, as etcd does.
    ///
    /// `entries` must have contiguous increasing indexes.
    ///
    /// etcd: `raftLog.findConflict`.
    package func findConflict(_ entries: [Entry]) -> UInt64 {
        for entry in entries where !matchTerm(entry.id) {
            if entry.index <= lastIndex() {
                logger.info(
                    "found conflict at index \(entry.index) [existing term: \(zeroTermOnOutOfBounds(entry.index)), conflicting term: \(entry.term)]"
                )
            }
            return entry.index
        }
        return 0
    }

    /// Our best guess of where our log stops matching another log of which we know one entry,
    /// (`index`, `term`): the largest index at or below `index` whose term is at most `term`, or
    /// whose term we do not know (compacted or not yet stored), with that term (0 if unknown).
    ///
    /// Leaders and followers use it to skip a whole term of mismatching entries at once after a
    /// rejected append, instead of one index per round trip.
    ///
    /// etcd: `raftLog.findConflictByTerm`.
    package func findConflictByTerm(index: UInt64, term: UInt64) -> (index: UInt64, term: UInt64) {
        var i = index
        while i > 0 {
            let ours: UInt64
            do { ours = try self.term(i) } catch { return (i, 0) }
            if ours <= term { return (i, ours) }
            i -= 1
        }
        return (0, 0)
    }

    // MARK: - Committing

    /// Raises the commit index to `tocommit`; a lower value changes nothing (it never decreases).
    ///
    /// Throws `.invalidIndex` with etcd's panic text when `tocommit` is beyond the last entry: a
    /// leader claims we hold entries we do not.
    ///
    /// etcd: `raftLog.commitTo`.
    package func commitTo(_ tocommit: UInt64) throws(StorageError) {
        guard committed < tocommit else { return }
        let last = lastIndex()
        if last < tocommit {
            throw .invalidIndex(
                "tocommit(\(tocommit)) is out of range [lastIndex(\(last))]. Was the raft log corrupted, truncated, or lost?")
        }
        committed = tocommit
    }

    /// Commits up to `at` when it is past the commit index and our entry there has `at`'s term: a
    /// leader only commits entries of its own term by counting replicas (Raft §5.4.2).
    /// Returns whether the commit index moved.
    ///
    /// etcd: `raftLog.maybeCommit`.
    package func maybeCommit(_ at: EntryID) -> Bool {
        // A term of 0 never matches: no leader is elected at term 0.
        guard at.term != 0, at.index > committed, matchTerm(at) else { return false }
        // matchTerm found the entry, so it is within the log and commitTo cannot fail.
        committed = at.index
        return true
    }

    // MARK: - Snapshots

    /// Resets the log to the snapshot `s` received from a leader: everything is now committed up
    /// to it, and the log resumes after it. Logs etcd's INFO line with the positions before.
    ///
    /// etcd: `raftLog.restore`.
    package func restore(_ s: Snapshot) {
        if s.metadata.index == .max {
            logger.panic("snapshot index \(s.metadata.index) is out of range")
        }
        logger.info(
            "log [\(self)] starts to restore snapshot [index: \(s.metadata.index), term: \(s.metadata.term)]")
        committed = s.metadata.index
        unstable.restore(s)
    }

    /// The latest snapshot: the unstable one if any, else storage's. Storage errors (such as
    /// `.snapshotTemporarilyUnavailable`) are passed on to the caller.
    ///
    /// etcd: `raftLog.snapshot`.
    package func snapshot() throws -> Snapshot {
        if let s = unstable.snapshot { return s }
        return try storage.snapshot()
    }

    // MARK: - Invariants

    /// Stops the process if the invariants in the type's documentation do not hold. For tests;
    /// it walks the unstable entries.
    package func checkInvariants() {
        precondition(applied <= applying, "applied \(applied) > applying \(applying)")
        precondition(applying <= committed, "applying \(applying) > committed \(committed)")
        let last = lastIndex()
        precondition(committed <= last, "committed \(committed) > lastIndex \(last)")
        unstable.checkInvariants()
    }
}
