/// Everything raft needs the application to do: state to persist, messages to send, entries to
/// apply. Obtained from `RawNode.ready()` (or `Node.readies`), handed back with `advance`.
///
/// ## The application's side of the contract
///
/// Handle each Ready completely, in this order, before asking for the next one:
///
/// 1. **Persist.** Write `hardState` (when not empty), append `entries` (replacing any stored
///    entries from the first one's index on), and save `snapshot` (when not empty), all to stable
///    storage. When `mustSync` is true the write must be durable (fsync) before going on.
/// 2. **Send** `messages`. They may promise the state of step 1 (votes, append acknowledgements),
///    which is why they go out only after it. A snapshot message (`msgSnap`) may be sent in the
///    background; report the outcome with `reportSnapshot`.
/// 3. **Apply** `committedEntries` to the state machine, in order. For a conf change entry, decode
///    it and call `applyConfChange`. Serve `readStates` once the applied index reaches theirs.
/// 4. **Advance**: call `RawNode.advance(_:)` (`Node.advance()`). Only then will raft produce the
///    next Ready; `Node.readies` hands out nothing before it.
///
///     while node.hasReady() {
///         let rd = node.ready()
///         try storage.persist(rd.hardState, rd.entries, rd.snapshot)
///         transport.send(rd.messages)
///         apply(rd.committedEntries)
///         node.advance(rd)
///     }
///
/// With a `Node`, the same four steps form the body of a `for await rd in node.readies` loop
/// (`LocalCluster` in RaftTesting has one), ending in `try await node.advance()`.
///
/// With `asyncStorageWrites`, steps 1 and 3 arrive instead as `msgStorageAppend` and
/// `msgStorageApply` messages in `messages`, whose `responses` go back to the node (`step`) once
/// the work is done, and `advance` is not called.
///
/// etcd: `raft.Ready`.
public struct Ready: Sendable {
    /// The new leader and role, when either changed since the last Ready; nil otherwise.
    public var softState: SoftState?
    /// The term, vote and commit index to persist; `.empty` when unchanged.
    public var hardState: HardState = .empty
    /// Answers to `readIndex` requests.
    public var readStates: [ReadState] = []
    /// Entries to append to stable storage before sending `messages`.
    public var entries: [Entry] = []
    /// A snapshot to save to stable storage; `.empty` when none.
    public var snapshot: Snapshot = .empty
    /// Committed entries to apply, already persisted or (without async writes) persisted in this
    /// same Ready.
    public var committedEntries: [Entry] = []
    /// Messages to send once the state above is persisted.
    public var messages: [Message] = []
    /// Whether the hard state and entries must be written durably (synchronously) before the
    /// messages are sent: true when entries are appended or the term or vote changed. A commit
    /// index change alone may be written lazily.
    public var mustSync = false

    /// An empty Ready (nothing to do); raft builds the real ones (`RawNode.ready()`).
    public init() {}

    /// Whether the Ready carries nothing to do.
    public var isEmpty: Bool {
        softState == nil && hardState.isEmpty && readStates.isEmpty && entries.isEmpty
            && snapshot.isEmpty && committedEntries.isEmpty && messages.isEmpty
    }

    /// etcd's text form of a Ready, as the interaction transcripts print it.
    ///
    /// etcd: `DescribeReady`.
    public func describe(_ formatter: EntryFormatter? = nil) -> String {
        var out = ""
        if let softState { out += "\(softState)\n" }
        if !hardState.isEmpty { out += "HardState \(hardState)\n" }
        if !readStates.isEmpty {
            out += "ReadStates [" + readStates.map(\.description).joined(separator: " ") + "]\n"
        }
        if !entries.isEmpty { out += "Entries:\n" + entries.describe(formatter) }
        if !snapshot.isEmpty { out += "Snapshot \(snapshot)\n" }
        if !committedEntries.isEmpty { out += "CommittedEntries:\n" + committedEntries.describe(formatter) }
        if !messages.isEmpty {
            out += "Messages:\n"
            for m in messages { out += m.describe(formatter) + "\n" }
        }
        return out.isEmpty ? "<empty Ready>" : "Ready MustSync=\(mustSync):\n\(out)"
    }

    /// Whether state that changed must reach disk synchronously: new entries, or a new term or
    /// vote (Raft paper figure 2: persisted "before responding to RPCs").
    ///
    /// etcd: `MustSync`.
    public static func mustSync(_ hs: HardState, _ prev: HardState, entryCount: Int) -> Bool {
        entryCount != 0 || hs.vote != prev.vote || hs.term != prev.term
    }
}
