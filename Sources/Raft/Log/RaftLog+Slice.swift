/// Reading ranges of entries across the two parts of the log: storage below `unstable.offset`,
/// the unstable tail from it on.
extension RaftLog {
    /// The entries in `[lo, hi)`, as many as fit in `maxSize` bytes of encoded size but at least
    /// one when the range is not empty.
    ///
    /// Reads storage for the part below `unstable.offset` and the unstable tail for the rest,
    /// copying each entry at most once. Throws `.compacted` when `lo` is below the first index,
    /// and `.invalidIndex` with etcd's text when `lo > hi` or `hi` is beyond the entry after the
    /// last. Storage failures other than compaction are fatal, as in etcd; `.invalidIndex` from
    /// storage is passed on.
    ///
    /// etcd: `raftLog.slice`.
    package func slice(_ lo: UInt64, _ hi: UInt64, maxSize: EntryEncodingSize) throws(StorageError) -> [Entry] {
        try checkOutOfBounds(lo, hi)
        if lo == hi { return [] }
        let offset = unstable.offset
        if lo >= offset {
            let requested = try unstable.slice(lo, hi)
            let fitting = requested.prefixCount(withinEncodedSize: maxSize)
            // All of it, and just what was last appended: share that array instead of copying.
            if fitting == requested.count, let batch = unstable.appendedBatch(lo, hi) { return batch }
            return Array(requested.prefix(fitting))
        }

        let cut = min(hi, offset)
        let stored: [Entry]
        do {
            stored = try storage.entries(lo, cut, maxSize: maxSize.bytes)
        } catch {
            switch error {
            case .compacted, .invalidIndex: throw error
            case .unavailable: logger.panic("entries[\(lo):\(cut)) is unavailable from storage")
            case .snapOutOfDate, .snapshotTemporarilyUnavailable, .failed: logger.panic("\(error)")
            }
        }
        if hi <= offset { return stored }
        // Storage stopped short: the size limit was reached before the unstable part.
        if UInt64(stored.count) < cut - lo { return stored }
        let storedSize = entsSize(stored)
        if storedSize >= maxSize { return stored }

        let tail = try unstable.slice(offset, hi)
        let fitting = tail.prefixCount(withinEncodedSize: maxSize - storedSize)
        // prefixCount keeps one entry even when it alone exceeds what is left; here the stored
        // entries already satisfy "at least one", so such an entry stays out.
        if fitting == 1, let only = tail.first, storedSize + EntryEncodingSize(UInt64(only.encodedSize)) > maxSize {
            return stored
        }
        var combined = stored
        combined.append(contentsOf: tail.prefix(fitting))
        return combined
    }

    /// Validates a `[lo, hi)` request: `.compacted` when `lo` is below the first index,
    /// `.invalidIndex` (etcd's panic texts) when `lo > hi` or `hi` is past the entry after the last.
    ///
    /// etcd: `raftLog.mustCheckOutOfBounds`.
    package func checkOutOfBounds(_ lo: UInt64, _ hi: UInt64) throws(StorageError) {
        if lo > hi { throw .invalidIndex("invalid slice \(lo) > \(hi)") }
        let first = firstIndex()
        if lo < first { throw .compacted }
        let last = lastIndex()
        if hi > last + 1 {
            throw .invalidIndex("slice[\(lo),\(hi)) out of bound [\(first),\(last)]")
        }
    }

    /// The entries from `i` to the last, within `maxSize` bytes (at least one); empty when `i` is
    /// past the last entry. Throws `.compacted` when `i` is below the first index.
    ///
    /// etcd: `raftLog.entries`.
    package func entries(from i: UInt64, maxSize: EntryEncodingSize) throws(StorageError) -> [Entry] {
        let last = lastIndex()
        if i > last { return [] }
        return try slice(i, last + 1, maxSize: maxSize)
    }

    /// Every entry in the log. Retries when storage compacts concurrently; other failures are
    /// fatal, as in etcd.
    ///
    /// etcd: `raftLog.allEntries`.
    package func allEntries() -> [Entry] {
        while true {
            do {
                return try entries(from: firstIndex(), maxSize: .unlimited)
            } catch StorageError.compacted {
                continue
            } catch {
                logger.panic("\(error)")
            }
        }
    }

    /// Visits the entries in `[lo, hi)` in order, in consecutive pages of up to `pageSize` bytes
    /// (a page holds a single larger entry alone), without building the whole range at once.
    ///
    /// Errors from reading the log or from `visit` end the scan and are rethrown; `visit` may
    /// throw to stop early. The entries must exist: a range that runs out throws, possibly after
    /// some pages were visited.
    ///
    /// etcd: `raftLog.scan`.
    package func scan(_ lo: UInt64, _ hi: UInt64, pageSize: EntryEncodingSize, _ visit: ([Entry]) throws -> Void) throws {
        var next = lo
        while next < hi {
            let page = try slice(next, hi, maxSize: pageSize)
            if page.isEmpty {
                throw StorageError.invalidIndex("got 0 entries in [\(next), \(hi))")
            }
            try visit(page)
            next += UInt64(page.count)
        }
    }
}
