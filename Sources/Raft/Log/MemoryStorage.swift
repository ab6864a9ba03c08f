/// A `Storage` that keeps everything in memory: for tests, examples, and applications that
/// persist elsewhere and only need raft's view of the log.
///
/// Its log always starts with a placeholder entry that stands for the last entry covered by the
/// snapshot (index and term only, no data): index 0, term 0 when nothing was ever compacted. Its
/// term answers `term(firstIndex - 1)`, which raft needs to match the entry before the first.
///
/// Safe to use from several threads: raft reads while the application appends, as `Storage`
/// requires. Where etcd panics because it was asked for an index beyond the log, this throws
/// `StorageError.invalidIndex` with etcd's panic text instead.
///
/// etcd: `MemoryStorage`.
public final class MemoryStorage: Storage {
    /// Everything guarded by the lock.
    private struct State {
        var hardState = HardState()
        var snapshot = Snapshot()
        /// `ents[k]` is at log index `ents[0].index + k`; `ents[0]` is the placeholder.
        var ents = [Entry()]
        /// The array the last `append` wrote, as it was given, when it was written whole; empty
        /// otherwise. Raft usually asks next for exactly these entries, to hand them out as
        /// committed entries (a single node commits what it just persisted); returning this
        /// array shares it, where slicing `ents` copies the entries into a new array on every
        /// Ready. Etcd's Go storage returns a slice of its array, which shares it the same way.
        var lastAppended: [Entry] = []

        /// The index of the placeholder: the last compacted index.
        var placeholderIndex: UInt64 { ents[0].index }
        /// The first index whose entry is held: one past the placeholder.
        var firstIndex: UInt64 { ents[0].index + 1 }
        /// The index of the last entry held (the placeholder's when none is).
        var lastIndex: UInt64 { ents[0].index + UInt64(ents.count) - 1 }
    }

    /// The log, snapshot and hard state, behind one lock: readers see each write whole.
    private let state = Locked(State())

    /// An empty log: only the placeholder at index 0, term 0, and empty hard state and snapshot.
    ///
    /// etcd: `NewMemoryStorage`.
    public init() {}

    /// The hard state last saved with `setHardState`.
    public var hardState: HardState {
        state.withLock { $0.hardState }
    }

    /// The saved hard state and the membership of the current snapshot.
    ///
    /// etcd: `MemoryStorage.InitialState`.
    public func initialState() -> (HardState, ConfState) {
        state.withLock { ($0.hardState, $0.snapshot.metadata.confState) }
    }

    /// Saves the hard state raft asks the application to persist.
    ///
    /// etcd: `MemoryStorage.SetHardState`.
    public func setHardState(_ hardState: HardState) {
        state.withLock { $0.hardState = hardState }
    }

    /// The entries in `[lo, hi)`, limited to `maxSize` bytes of encoded size but at least one.
    ///
    /// Throws `.compacted` when `lo` is at or below the placeholder, `.unavailable` when the log
    /// holds no entry at all, and `.invalidIndex` when `hi` is beyond the entry after the last
    /// (etcd panics) or `lo > hi`.
    ///
    /// etcd: `MemoryStorage.Entries`.
    public func entries(_ lo: UInt64, _ hi: UInt64, maxSize: UInt64) throws(StorageError) -> [Entry] {
        try state.withLock { (s: inout State) throws(StorageError) -> [Entry] in
            let offset = s.placeholderIndex
            if lo <= offset { throw .compacted }
            let last = s.lastIndex
            if hi > last + 1 {
                throw .invalidIndex("entries' hi(\(hi)) is out of bound lastindex(\(last))")
            }
            if s.ents.count == 1 { throw .unavailable }
            if lo > hi {
                throw .invalidIndex("entries' lo(\(lo)) is greater than hi(\(hi))")
            }
            let requested = s.ents[Int(lo - offset)..<Int(hi - offset)]
            let fitting = requested.prefixCount(withinEncodedSize: EntryEncodingSize(maxSize))
            // Exactly the last append, all of it, still held (compaction only drops entries
            // before `lo`, which the bound checks above exclude): share that array.
            if fitting == requested.count, let first = s.lastAppended.first, first.index == lo,
               s.lastAppended.count == requested.count {
                return s.lastAppended
            }
            return Array(requested.prefix(fitting))
        }
    }

    /// The term of the entry at `i`, for `i` in `[firstIndex()-1, lastIndex()]`; `.compacted`
    /// below, `.unavailable` above.
    ///
    /// etcd: `MemoryStorage.Term`.
    public func term(_ i: UInt64) throws(StorageError) -> UInt64 {
        try state.withLock { (s: inout State) throws(StorageError) -> UInt64 in
            let offset = s.placeholderIndex
            if i < offset { throw .compacted }
            let position = i - offset
            if position >= UInt64(s.ents.count) { throw .unavailable }
            return s.ents[Int(position)].term
        }
    }

    /// `RaftLog.term(i)` for an index the unstable log does not know, in one lock instead of
    /// three (`firstIndex`, `lastIndex`, `term`): the same checks in the same order, with the
    /// unstable log's bounds (`first`, `last`) standing in for storage's where it has them. The
    /// lock is most of what a storage call costs, and raft asks this several times per message.
    package func term(_ i: UInt64, unstableFirst first: UInt64?, unstableLast last: UInt64?) throws(StorageError) -> UInt64 {
        try state.withLock { (s: inout State) throws(StorageError) -> UInt64 in
            if i &+ 1 < (first ?? s.firstIndex) { throw .compacted }
            if i > (last ?? s.lastIndex) { throw .unavailable }
            let offset = s.placeholderIndex
            if i < offset { throw .compacted }
            let position = i - offset
            if position >= UInt64(s.ents.count) { throw .unavailable }
            return s.ents[Int(position)].term
        }
    }

    /// The index of the last entry (the placeholder's when the log is empty).
    ///
    /// etcd: `MemoryStorage.LastIndex`.
    public func lastIndex() -> UInt64 {
        state.withLock { $0.lastIndex }
    }

    /// The index of the first entry still held: one past the placeholder.
    ///
    /// etcd: `MemoryStorage.FirstIndex`.
    public func firstIndex() -> UInt64 {
        state.withLock { $0.firstIndex }
    }

    /// The current snapshot (empty, index 0, until one is applied or created).
    ///
    /// etcd: `MemoryStorage.Snapshot`.
    public func snapshot() -> Snapshot {
        state.withLock { $0.snapshot }
    }

    /// Replaces the whole log with `snapshot`, as a follower does with a snapshot from its
    /// leader: the log then holds only the placeholder at the snapshot's index and term.
    ///
    /// Throws `.snapOutOfDate` when the held snapshot is at least as recent. An index-0 snapshot
    /// on a fresh storage is accepted: it carries only a membership, to bootstrap a cluster.
    /// A snapshot at `UInt64.max` throws `.invalidIndex`: no entry could follow it.
    ///
    /// etcd: `MemoryStorage.ApplySnapshot`.
    public func applySnapshot(_ snapshot: Snapshot) throws(StorageError) {
        try state.withLock { (s: inout State) throws(StorageError) in
            let held = s.snapshot.metadata.index
            if held != 0 && held >= snapshot.metadata.index { throw .snapOutOfDate }
            if snapshot.metadata.index == .max {
                throw .invalidIndex("snapshot index \(snapshot.metadata.index) is out of range")
            }
            s.snapshot = snapshot
            s.ents = [Entry(term: snapshot.metadata.term, index: snapshot.metadata.index)]
            s.lastAppended = []
        }
    }

    /// Records a snapshot of the application's state at `i` (with `data`, and `confState` when
    /// membership changed since the last one) and returns it. Does not drop entries: `compact`.
    ///
    /// Throws `.snapOutOfDate` when `i` is not past the current snapshot, `.compacted` when the
    /// entry at `i` was compacted away (its term is lost), and `.invalidIndex` beyond the last
    /// entry (etcd panics).
    ///
    /// etcd: `MemoryStorage.CreateSnapshot`.
    public func createSnapshot(_ i: UInt64, confState: ConfState?, data: [UInt8]) throws(StorageError) -> Snapshot {
        try state.withLock { (s: inout State) throws(StorageError) -> Snapshot in
            if i <= s.snapshot.metadata.index { throw .snapOutOfDate }
            let offset = s.placeholderIndex
            if i > s.lastIndex {
                throw .invalidIndex("snapshot \(i) is out of bound lastindex(\(s.lastIndex))")
            }
            if i < offset { throw .compacted }
            s.snapshot.metadata.index = i
            s.snapshot.metadata.term = s.ents[Int(i - offset)].term
            if let confState { s.snapshot.metadata.confState = confState }
            s.snapshot.data = data
            return s.snapshot
        }
    }

    /// Drops the entries before `compactIndex`, which becomes the placeholder. The application
    /// must not compact past what it has applied.
    ///
    /// Throws `.compacted` when `compactIndex` is not past the placeholder, and `.invalidIndex`
    /// beyond the last entry (etcd panics).
    ///
    /// etcd: `MemoryStorage.Compact`.
    public func compact(_ compactIndex: UInt64) throws(StorageError) {
        try state.withLock { (s: inout State) throws(StorageError) in
            let offset = s.placeholderIndex
            if compactIndex <= offset { throw .compacted }
            if compactIndex > s.lastIndex {
                throw .invalidIndex("compact \(compactIndex) is out of bound lastindex(\(s.lastIndex))")
            }
            let keep = Int(compactIndex - offset)
            let newPlaceholder = Entry(term: s.ents[keep].term, index: compactIndex)
            s.ents.removeSubrange(0..<keep)
            s.ents[0] = newPlaceholder
        }
    }

    /// Writes `entries` to the log, replacing any held entry at or after the first of them.
    /// Entries already compacted are skipped.
    ///
    /// Throws `.invalidIndex` when the append would leave a gap after the last entry (etcd
    /// panics), and, as etcd does not check, when the entries are not contiguous or reach index
    /// `UInt64.max` (no log can have an entry after that one).
    ///
    /// etcd: `MemoryStorage.Append`.
    public func append(_ entries: [Entry]) throws(StorageError) {
        guard let firstNew = entries.first, let lastNew = entries.last else { return }
        try entries.checkContiguous()
        try state.withLock { (s: inout State) throws(StorageError) in
            let first = s.firstIndex
            if lastNew.index < first { return }
            // Skip the entries that were already compacted.
            let skip = first > firstNew.index ? Int(first - firstNew.index) : 0
            let fresh = entries[skip...]
            let from = fresh[fresh.startIndex].index
            let position = from - s.placeholderIndex
            let held = UInt64(s.ents.count)
            if position > held {
                throw .invalidIndex("missing log entry [last: \(s.lastIndex), append at: \(from)]")
            }
            if position < held { s.ents.removeSubrange(Int(position)...) }
            // The whole array when nothing was skipped: appending an array copies its entries
            // directly, where appending a slice went through the generic `replaceSubrange`
            // (about 600 instructions for a one-entry append).
            if skip == 0 { s.ents.append(contentsOf: entries) } else { s.ents.append(contentsOf: fresh) }
            s.lastAppended = skip == 0 ? entries : []
        }
    }
}
