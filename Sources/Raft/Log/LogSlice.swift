/// A run of entries as a leader sent them: the leader's term, the entry just before the run, and
/// the run itself. A follower appends only a slice that is `valid()`, checked once where the
/// message comes in, so that the log code below can take contiguity for granted.
///
/// etcd: `logSlice`.
package struct LogSlice: Sendable, Hashable {
    /// The term of the leader whose log holds these entries.
    package var term: UInt64
    /// The entry just before `entries` (index 0, term 0 for the start of the log).
    package var prev: EntryID
    /// The entries, at indexes `prev.index + 1` on.
    package var entries: [Entry]

    package init(term: UInt64, prev: EntryID, entries: [Entry]) {
        self.term = term
        self.prev = prev
        self.entries = entries
    }

    /// A slice whose leader's term does not matter (the log's tests and the workbook's exercises,
    /// which call `maybeAppend` directly): taken to be its last entry's.
    package init(prev: EntryID, entries: [Entry]) {
        self.init(term: entries.last?.term ?? prev.term, prev: prev, entries: entries)
    }

    /// The slice a MsgApp carries.
    ///
    /// etcd: `logSliceFromMsgApp`.
    package init(msgApp m: Message) {
        self.init(term: m.term, prev: EntryID(term: m.logTerm, index: m.index), entries: m.entries)
    }

    /// The index of the last entry, or `prev.index` when there is none. Valid slices only.
    ///
    /// etcd: `logSlice.lastIndex`.
    package var lastIndex: UInt64 { prev.index + UInt64(entries.count) }

    /// The last entry's id, or `prev` when there is none.
    ///
    /// etcd: `logSlice.lastEntryID`.
    package var lastEntryID: EntryID { entries.last?.id ?? prev }

    /// Throws unless the slice is a piece of a log: each entry's index is one more than the one
    /// before it (starting after `prev`), the entries' terms never go down, and the last index is
    /// below `UInt64.max` (so "the index after the last" exists).
    ///
    /// etcd: `logSlice.valid`, which also compares the terms with `prev`'s and the leader's. etcd
    /// does not call it on incoming messages yet, and its own tests send slices that break those
    /// two rules (TestHandleMsgApp: entries newer than the leader's term; TestLearnerReceiveSnapshot:
    /// a leader at term 1 appending after a snapshot at term 11), so they are left out here. The
    /// rest is checked on every MsgApp, because a peer's message must never corrupt the log or stop
    /// the process (Notes/design-decisions.md).
    package func valid() throws(StorageError) {
        var previous = prev
        for (k, entry) in entries.enumerated() {
            if (k > 0 && entry.term < previous.term) || previous.index == .max || entry.index != previous.index + 1 {
                throw .invalidIndex("leader term \(term): entries \(previous) and \(entry.id) not consistent")
            }
            previous = entry.id
        }
        if !entries.isEmpty && previous.index == .max {
            throw .invalidIndex("entry index \(previous.index) is out of range")
        }
    }
}
