/// What the log has to hand to the application (entries and snapshots to persist, committed
/// entries to apply) and the application's reports of progress on them. These feed `Ready` and
/// are advanced by `Advance` and the storage responses of asynchronous writes.
extension RaftLog {
    // MARK: - To persist

    /// The unstable entries not yet handed to the application for writing.
    ///
    /// When nothing is in flight this is the unstable array itself, shared without a copy.
    ///
    /// etcd: `raftLog.nextUnstableEnts`.
    package func nextUnstableEnts() -> [Entry] {
        if unstable.offsetInProgress == unstable.offset { return unstable.entries }
        return Array(unstable.nextEntries())
    }

    /// Whether some unstable entries wait to be handed out for writing.
    ///
    /// etcd: `raftLog.hasNextUnstableEnts`.
    package func hasNextUnstableEnts() -> Bool {
        !unstable.nextEntries().isEmpty
    }

    /// Whether some unstable entries wait to be handed out or are being written.
    ///
    /// etcd: `raftLog.hasNextOrInProgressUnstableEnts`.
    package func hasNextOrInProgressUnstableEnts() -> Bool {
        !unstable.entries.isEmpty
    }

    /// The unstable snapshot, unless there is none or it is already being written.
    ///
    /// etcd: `raftLog.nextUnstableSnapshot`.
    package func nextUnstableSnapshot() -> Snapshot? {
        unstable.nextSnapshot()
    }

    /// Whether an unstable snapshot waits to be handed out for writing.
    ///
    /// etcd: `raftLog.hasNextUnstableSnapshot`.
    package func hasNextUnstableSnapshot() -> Bool {
        unstable.nextSnapshot() != nil
    }

    /// Whether an unstable snapshot waits to be handed out or is being written.
    ///
    /// etcd: `raftLog.hasNextOrInProgressSnapshot`.
    package func hasNextOrInProgressSnapshot() -> Bool {
        unstable.snapshot != nil
    }

    /// The application has taken the unstable entries and snapshot to write: they are in flight
    /// and the next `Ready` must not carry them again.
    ///
    /// etcd: `raftLog.acceptUnstable`.
    package func acceptUnstable() {
        unstable.acceptInProgress()
    }

    /// The application wrote the entries up to `id`; stale reports are ignored with a notice.
    ///
    /// etcd: `raftLog.stableTo`.
    package func stableTo(_ id: EntryID) {
        unstable.stableTo(id)
    }

    /// The application applied the snapshot at index `i` to storage.
    ///
    /// etcd: `raftLog.stableSnapTo`.
    package func stableSnapTo(_ i: UInt64) {
        unstable.stableSnapTo(i)
    }

    // MARK: - To apply

    /// The highest committed index the application may be given to apply: with `allowUnstable`,
    /// any committed index; otherwise only one whose entry is already durable locally.
    ///
    /// etcd: `raftLog.maxAppliableIndex`.
    package func maxAppliableIndex(allowUnstable: Bool) -> UInt64 {
        if allowUnstable { return committed }
        return min(committed, unstable.offset - 1)
    }

    /// Whether `nextCommittedEnts` would return something: a cheap check without reading entries.
    ///
    /// Nothing is handed out while paused by the size limit or while a snapshot is pending: the
    /// snapshot must be applied first, or the order of application would be ambiguous.
    ///
    /// etcd: `raftLog.hasNextCommittedEnts`.
    package func hasNextCommittedEnts(allowUnstable: Bool) -> Bool {
        if applyingEntsPaused || hasNextOrInProgressSnapshot() { return false }
        return applying < maxAppliableIndex(allowUnstable: allowUnstable)
    }

    /// The committed entries after `applying` to hand to the application to apply, within what
    /// remains of `maxApplyingEntsSize` (at least one entry). Empty while paused or while a
    /// snapshot is pending.
    ///
    /// Failing to read committed entries is fatal, as in etcd: the application compacted entries
    /// it had not applied.
    ///
    /// etcd: `raftLog.nextCommittedEnts`.
    package func nextCommittedEnts(allowUnstable: Bool) -> [Entry] {
        if applyingEntsPaused || hasNextOrInProgressSnapshot() { return [] }
        let lo = applying + 1
        let hi = maxAppliableIndex(allowUnstable: allowUnstable) + 1
        if lo >= hi { return [] }
        // Wrapping like etcd's unsigned subtraction; only an exact zero is a broken account.
        let maxSize = maxApplyingEntsSize &- applyingEntsSize
        if maxSize == 0 {
            logger.panic("applying entry size (\(maxApplyingEntsSize)-\(applyingEntsSize))=\(maxSize) not positive")
        }
        do {
            return try slice(lo, hi, maxSize: maxSize)
        } catch {
            logger.panic("unexpected error when getting unapplied entries (\(error))")
        }
    }

    /// The application reports it applied everything up to `i`, releasing `size` bytes of the
    /// applying budget; handing out resumes when the outstanding bytes drop below the limit.
    ///
    /// Throws `.invalidIndex` with etcd's panic text when `i` is below `applied` or beyond
    /// `committed`.
    ///
    /// etcd: `raftLog.appliedTo`.
    package func appliedTo(_ i: UInt64, size: EntryEncodingSize) throws(StorageError) {
        if committed < i || i < applied {
            throw .invalidIndex("applied(\(i)) is out of range [prevApplied(\(applied)), committed(\(committed))]")
        }
        applied = i
        applying = max(applying, i)
        // Saturating: a miscounted report must not wrap the outstanding size.
        applyingEntsSize = applyingEntsSize > size ? applyingEntsSize - size : 0
        applyingEntsPaused = applyingEntsSize >= maxApplyingEntsSize
    }

    /// The application took committed entries up to `i` (`size` bytes) to apply.
    ///
    /// Handing out then pauses when the outstanding bytes reach the limit, or when `i` stops
    /// short of what could have been handed out: the size limit cut the batch, so the next entry
    /// would exceed it.
    ///
    /// Throws `.invalidIndex` with etcd's panic text when `i` is beyond `committed`; also (which
    /// etcd does not check) when `i` is below `applied`, which would break `applied <= applying`.
    ///
    /// etcd: `raftLog.acceptApplying`.
    package func acceptApplying(_ i: UInt64, size: EntryEncodingSize, allowUnstable: Bool) throws(StorageError) {
        if committed < i || i < applied {
            throw .invalidIndex("applying(\(i)) is out of range [prevApplying(\(applying)), committed(\(committed))]")
        }
        applying = i
        applyingEntsSize &+= size
        applyingEntsPaused =
            applyingEntsSize >= maxApplyingEntsSize || i < maxAppliableIndex(allowUnstable: allowUnstable)
    }
}
