/// Well-known node ids.
///
/// etcd: `raft.None`, `LocalAppendThread`, `LocalApplyThread`.
public enum PeerID {
    /// No node: no leader known, no vote cast.
    public static let none: UInt64 = 0
    /// The target of `msgStorageAppend` in async storage write mode: the local append thread.
    public static let localAppendThread: UInt64 = .max
    /// The target of `msgStorageApply` in async storage write mode: the local apply thread.
    public static let localApplyThread: UInt64 = .max - 1

    /// Whether `id` names one of the local storage threads rather than a peer.
    ///
    /// etcd: `IsLocalMsgTarget`.
    @inlinable public static func isLocalTarget(_ id: UInt64) -> Bool {
        id == localAppendThread || id == localApplyThread
    }
}

/// Everything raft nodes say to each other, and to their own storage threads.
///
/// One flat struct serves every `MessageType`, as in etcd; each type uses the fields it needs
/// (a `msgApp` uses `logTerm`/`index` for the entry before `entries`, a `msgVote` uses them for the
/// candidate's last entry, and so on).
///
/// The three fields few types use (`snapshot`, `context`, `responses`) live together in one
/// shared box, absent when all three are empty. Messages are copied into queues, Readies and
/// handlers many times per entry; with those fields inline every copy retained and released four
/// buffers, and now it retains two (`entries` and the box, usually absent). Setting one of them
/// builds a new box, which the message types that use them can afford.
///
/// etcd: `raftpb.Message`.
public struct Message: Sendable, Hashable {
    /// What the message asks or answers.
    public var type: MessageType
    /// The recipient's node id (or one of the local targets in `PeerID`).
    public var to: UInt64
    /// The sender's node id.
    public var from: UInt64
    /// The sender's term; 0 for local messages and proposals, which carry none.
    public var term: UInt64
    /// The term of the entry at `index`: the entry preceding `entries` in a `msgApp`, the last entry
    /// in a vote request; on a rejected `msgAppResp`, the term of the follower's entry at `rejectHint`.
    public var logTerm: UInt64
    /// The log index the message is about: the entry preceding `entries` in a `msgApp`, the
    /// acknowledged (or rejected) index in a `msgAppResp`, the last index in a vote request.
    public var index: UInt64
    /// The entries carried: appended by a `msgApp`, proposed by a `msgProp`.
    public var entries: [Entry]
    /// The leader's commit index, on appends and heartbeats.
    public var commit: UInt64
    /// Used by `msgStorageAppend` to carry the vote of the hard state to persist.
    public var vote: UInt64
    /// On a response: whether the request was refused (a vote denied, an append that did not match).
    public var reject: Bool
    /// On a rejected `msgAppResp`: the index the follower suggests probing from.
    public var rejectHint: UInt64
    /// The rarely used fields; the shared `Rare.none` when all three are empty. Not an optional:
    /// the optimizer leaves a copy and a destroy of the whole message in every `Message(...)` built
    /// around a struct with an optional reference field, and a shared empty box costs one retain.
    private var rare: Rare

    /// The fields few message types use, in an immutable box shared by the copies of a message.
    private final class Rare: Sendable, Hashable {
        let snapshot: Snapshot?
        let context: [UInt8]
        let responses: [Message]

        init(snapshot: Snapshot?, context: [UInt8], responses: [Message]) {
            self.snapshot = snapshot
            self.context = context
            self.responses = responses
        }

        /// The box every message without these values shares.
        static let none = Rare(snapshot: nil, context: [], responses: [])

        /// A box for these values, or `none` when they are all empty.
        static func of(snapshot: Snapshot?, context: [UInt8], responses: [Message]) -> Rare {
            if snapshot == nil && context.isEmpty && responses.isEmpty { return none }
            return Rare(snapshot: snapshot, context: context, responses: responses)
        }

        static func == (a: Rare, b: Rare) -> Bool {
            a === b || (a.snapshot == b.snapshot && a.context == b.context && a.responses == b.responses)
        }

        func hash(into hasher: inout Hasher) {
            hasher.combine(snapshot)
            hasher.combine(context)
            hasher.combine(responses)
        }
    }

    /// The snapshot of a `msgSnap` (and of the local storage messages that carry one).
    public var snapshot: Snapshot? {
        get { rare.snapshot }
        set { rare = Rare.of(snapshot: newValue, context: context, responses: responses) }
    }

    /// Opaque bytes carried for the application or for reads: a read request's context on
    /// heartbeats, the campaign type on vote requests.
    public var context: [UInt8] {
        get { rare.context }
        set { rare = Rare.of(snapshot: snapshot, context: newValue, responses: responses) }
    }

    /// Used by the local storage messages: what to deliver once the work is done.
    public var responses: [Message] {
        get { rare.responses }
        set { rare = Rare.of(snapshot: snapshot, context: context, responses: newValue) }
    }

    /// A message; every field defaults to its zero value (etcd's).
    public init(
        type: MessageType = .msgHup, to: UInt64 = 0, from: UInt64 = 0, term: UInt64 = 0,
        logTerm: UInt64 = 0, index: UInt64 = 0, entries: [Entry] = [], commit: UInt64 = 0,
        vote: UInt64 = 0, snapshot: Snapshot? = nil, reject: Bool = false, rejectHint: UInt64 = 0,
        context: [UInt8] = [], responses: [Message] = []
    ) {
        self.type = type
        self.to = to
        self.from = from
        self.term = term
        self.logTerm = logTerm
        self.index = index
        self.entries = entries
        self.commit = commit
        self.vote = vote
        self.reject = reject
        self.rejectHint = rejectHint
        self.rare = Rare.of(snapshot: snapshot, context: context, responses: responses)
    }
}
