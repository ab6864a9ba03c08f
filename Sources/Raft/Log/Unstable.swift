/// The tail of the log that raft knows of but the application has not yet confirmed as durable:
/// new entries and, after a leader sent one, an incoming snapshot.
///
/// It plays two parts. First it holds new entries and the snapshot until a `Ready` hands them to
/// the application to persist. Then it keeps them, marked in progress, until the application
/// reports them written, so that the log can answer queries about them meanwhile; only then are
/// they dropped, because from then on `Storage` answers for them.
///
/// `offset` may be lower than the last index in storage: a leader overwrote part of our stored
/// log, and the next storage write must truncate before appending these entries.
///
/// Invariants (checked by `checkInvariants()`):
/// - `entries[k].index == offset + k` for every `k`: the entries are contiguous from `offset`.
/// - `offset <= offsetInProgress <= offset + entries.count`.
/// - `snapshotInProgress` implies `snapshot != nil`.
/// - with a snapshot, `snapshot.metadata.index + 1 <= offset`: entries follow the snapshot. The
///   two are equal right after `restore`; entries written after the snapshot may become stable
///   before the snapshot does, and then `offset` moves past it.
///
/// A class, owned by one `RaftLog` and mutated in place. It was a struct, but a struct stored in
/// a class is copied out whole (entries, snapshot and logger retained, then released) every time
/// one of its methods is called through the class, and `RaftLog` asks it something on almost every
/// step (`lastIndex`, `term`): see Notes/performance.md. Its stored properties skip the run-time
/// exclusivity checks, for the reason given at `RaftStateMachine`.
///
/// etcd: `unstable`.
///
/// `package` (with its init, entry fields and `truncateAndAppend`) for the workbook's reference solutions.
package final class Unstable {
    /// The snapshot received from a leader and not yet confirmed as applied to storage, if any.
    /// Invariant: its index is below `offset` (equal to `offset - 1` right after `restore`).
    @exclusivity(unchecked) package var snapshot: Snapshot?
    /// The entries not yet confirmed durable. Invariant: `entries[k].index == offset + k`.
    @exclusivity(unchecked) package var entries: [Entry]
    /// The log index of `entries[0]` (and one past the last durable entry this log relies on).
    @exclusivity(unchecked) package var offset: UInt64
    /// Whether `snapshot` has been handed to the application for writing.
    /// Invariant: only true while `snapshot` is present.
    @exclusivity(unchecked) package var snapshotInProgress: Bool
    /// One past the last entry handed to the application for writing: `entries` below this index
    /// are being written. Exclusive, like `offset`; equal to `offset` when nothing is in flight.
    /// Invariant: `offset <= offsetInProgress <= offset + entries.count`.
    @exclusivity(unchecked) package var offsetInProgress: UInt64
    /// Where the notices about ignored acknowledgements and replaced entries go.
    package let logger: any Logger
    /// The array most recently given to `truncateAndAppend`, kept as it came (see
    /// `appendedBatch`); empty when there is none.
    @exclusivity(unchecked) private var lastAppended: [Entry] = []

    /// An unstable part that starts right after the stable log (`offset` is storage's last index
    /// plus one), with nothing in flight unless told otherwise. Tests set any state they need.
    package init(
        snapshot: Snapshot? = nil, entries: [Entry] = [], offset: UInt64,
        offsetInProgress: UInt64? = nil, snapshotInProgress: Bool = false, logger: any Logger
    ) {
        self.snapshot = snapshot
        self.entries = entries
        self.offset = offset
        self.offsetInProgress = offsetInProgress ?? offset
        self.snapshotInProgress = snapshotInProgress
        self.logger = logger
    }

    /// The first index of the log when it starts with the unstable snapshot: nothing before the
    /// snapshot is known any more. `nil` without a snapshot (storage knows the first index).
    ///
    /// etcd: `unstable.maybeFirstIndex`.
    package func maybeFirstIndex() -> UInt64? {
        guard let snapshot else { return nil }
        return snapshot.metadata.index + 1
    }

    /// The last index of the log when it ends here: the last unstable entry, else the unstable
    /// snapshot. `nil` when both are absent (storage knows the last index).
    ///
    /// etcd: `unstable.maybeLastIndex`.
    package func maybeLastIndex() -> UInt64? {
        if !entries.isEmpty { return offset + UInt64(entries.count) - 1 }
        return snapshot?.metadata.index
    }

    /// The term at `i` when it is known here: an unstable entry, or the unstable snapshot's own
    /// index. `nil` otherwise (storage may know it).
    ///
    /// etcd: `unstable.maybeTerm`.
    package func maybeTerm(_ i: UInt64) -> UInt64? {
        if i < offset {
            if let snapshot, snapshot.metadata.index == i { return snapshot.metadata.term }
            return nil
        }
        guard let last = maybeLastIndex(), i <= last else { return nil }
        return entries[Int(i - offset)].term
    }

    /// The entries that still have to be handed to the application for writing: those not already
    /// in flight. A slice of `entries`, so asking costs no copy; empty when all are in flight.
    ///
    /// etcd: `unstable.nextEntries`.
    package func nextEntries() -> ArraySlice<Entry> {
        let inProgress = Int(offsetInProgress - offset)
        return entries[inProgress...]
    }

    /// The snapshot to hand to the application, unless there is none or it is already in flight.
    ///
    /// etcd: `unstable.nextSnapshot`.
    package func nextSnapshot() -> Snapshot? {
        guard let snapshot, !snapshotInProgress else { return nil }
        return snapshot
    }

    /// Marks everything held now (entries and snapshot) as handed to the application, so the next
    /// `Ready` does not carry them again; anything added later is new again.
    ///
    /// etcd: `unstable.acceptInProgress`.
    package func acceptInProgress() {
        if let last = entries.last { offsetInProgress = last.index + 1 }
        if snapshot != nil { snapshotInProgress = true }
    }

    /// Drops the entries up to `id`, which the application reports written.
    ///
    /// The report may be stale: the entry may already have been dropped, or overwritten by a new
    /// leader's entry with another term while the write was in flight. Then it is ignored (with
    /// an INFO line, as etcd), since storage will get the newer entries from a later `Ready`.
    ///
    /// etcd: `unstable.stableTo`.
    package func stableTo(_ id: EntryID) {
        guard let term = maybeTerm(id.index) else {
            logger.info("entry at index \(id.index) missing from unstable log; ignoring")
            return
        }
        if id.index < offset {
            logger.info("entry at index \(id.index) matched unstable snapshot; ignoring")
            return
        }
        if term != id.term {
            logger.info(
                "entry at (index,term)=(\(id.index),\(id.term)) mismatched with entry at (\(id.index),\(term)) in unstable log; ignoring"
            )
            return
        }
        let stable = Int(id.index + 1 - offset)
        if stable == entries.count {
            // The usual case: everything written. Drop the buffer (etcd drops the array too): it
            // is usually still shared with the Ready that handed these entries out, so keeping
            // its capacity would mean allocating a new one, and an empty log adopts the array of
            // the next append as it is (`truncateAndAppend`).
            entries = []
        } else {
            entries.removeFirst(stable)
        }
        offset = id.index + 1
        offsetInProgress = max(offsetInProgress, offset)
    }

    /// Drops the snapshot once the application reports it applied to storage at index `i`; a
    /// report for another snapshot (an older one, replaced since) is ignored.
    ///
    /// etcd: `unstable.stableSnapTo`.
    package func stableSnapTo(_ i: UInt64) {
        guard let snapshot, snapshot.metadata.index == i else { return }
        self.snapshot = nil
        snapshotInProgress = false
    }

    /// Replaces everything with the snapshot `s`: the log now resumes right after it.
    ///
    /// etcd: `unstable.restore`.
    package func restore(_ s: Snapshot) {
        offset = s.metadata.index + 1
        offsetInProgress = offset
        entries = []
        lastAppended = []
        snapshot = s
        snapshotInProgress = false
    }

    /// Adds `ents` (contiguous, first index `from`), dropping any held entry at or after `from`:
    /// a leader's entries win over ours.
    ///
    /// Three cases: `from` continues the entries (append); `from` is at or before `offset`
    /// (everything here is replaced, and storage will be truncated when these are written); or
    /// `from` falls inside the entries (keep the prefix, append). Entries in flight at or after
    /// `from` are no longer in flight: their write is for entries that no longer exist.
    ///
    /// Empty `ents` change nothing. A gap (`from` beyond the entry after the last) throws
    /// `.invalidIndex` with the message etcd panics with.
    ///
    /// etcd: `unstable.truncateAndAppend`.
    package func truncateAndAppend(_ ents: [Entry]) throws(StorageError) {
        guard let first = ents.first else { return }
        let from = first.index
        let end = offset + UInt64(entries.count)
        // Replaced first, so that it stops sharing its buffer with `entries` before they grow.
        lastAppended = []
        if from == end {
            if entries.isEmpty && entries.capacity < ents.count {
                // Nothing held and no room: adopt the caller's buffer instead of allocating one.
                entries = ents
            } else {
                entries.append(contentsOf: ents)
            }
        } else if from <= offset {
            logger.info("replace the unstable entries from index \(from)")
            entries = ents
            offset = from
            offsetInProgress = offset
        } else if from > end {
            throw .invalidIndex("unstable.slice[\(offset),\(from)) out of bound [\(offset),\(end)]")
        } else {
            logger.info("truncate the unstable entries before index \(from)")
            entries.removeSubrange(Int(from - offset)...)
            entries.append(contentsOf: ents)
            offsetInProgress = min(offsetInProgress, from)
        }
        lastAppended = ents
    }

    /// The array of the last append when it holds exactly the entries at `[lo, hi)`, and they are
    /// still here; nil otherwise.
    ///
    /// Entries appended together are usually read together next: a leader sends the entries it
    /// just appended to every follower that is caught up, and a follower's Ready hands on what it
    /// just received. Returning the array they came in shares it, where slicing `entries` would
    /// copy them into a new array for every message (one allocation per follower per proposal).
    /// Go's slices share their backing array the same way. The entries cannot have changed since:
    /// any later append replaces `lastAppended`, `restore` clears it, and `stableTo` only drops
    /// entries from the front, which the range check notices.
    package func appendedBatch(_ lo: UInt64, _ hi: UInt64) -> [Entry]? {
        guard let first = lastAppended.first, first.index == lo,
              lo &+ UInt64(lastAppended.count) == hi,
              lo >= offset, hi <= offset + UInt64(entries.count) else { return nil }
        return lastAppended
    }

    /// Forgets the last append's array, so that `appendedBatch` serves nothing until the next
    /// `truncateAndAppend`: for appends made by other code (the workbook's learner).
    package func forgetAppendedBatch() { lastAppended = [] }

    /// The entries at `[lo, hi)`, all of which must be held here. A slice of `entries`: no copy
    /// until the caller makes an array of it. Out of range throws `.invalidIndex` with etcd's text.
    ///
    /// etcd: `unstable.slice` (and its `mustCheckOutOfBounds`).
    package func slice(_ lo: UInt64, _ hi: UInt64) throws(StorageError) -> ArraySlice<Entry> {
        if lo > hi {
            throw .invalidIndex("invalid unstable.slice \(lo) > \(hi)")
        }
        let upper = offset + UInt64(entries.count)
        if lo < offset || hi > upper {
            throw .invalidIndex("unstable.slice[\(lo),\(hi)) out of bound [\(offset),\(upper)]")
        }
        return entries[Int(lo - offset)..<Int(hi - offset)]
    }

    /// Stops the process if the invariants in the type's documentation do not hold. Tests call it
    /// after every mutation; it walks all entries, so it is not for production paths.
    package func checkInvariants() {
        precondition(offset <= offsetInProgress, "offset \(offset) > offsetInProgress \(offsetInProgress)")
        precondition(
            offsetInProgress <= offset + UInt64(entries.count),
            "offsetInProgress \(offsetInProgress) beyond the entries [\(offset), \(offset + UInt64(entries.count)))")
        for (k, entry) in entries.enumerated() {
            precondition(entry.index == offset + UInt64(k), "entry \(entry.id) at position \(k) from offset \(offset)")
        }
        precondition(!snapshotInProgress || snapshot != nil, "snapshot in progress without a snapshot")
        if let snapshot {
            precondition(
                snapshot.metadata.index < offset,
                "snapshot index \(snapshot.metadata.index) not below offset \(offset)")
        }
    }
}
