import Raft

/// One member of a scenario's cluster: a raft node and the application around it (its storage,
/// its key-value state machine, its applied index), much as etcd's raftexample wraps a node in
/// its `raftNode`.
///
/// Raft decides; the server does what raft asks in each Ready (`Server+Ready.swift`): it writes
/// storage, hands messages to the network, applies committed entries and serves reads.
public final class Server {
    public let id: UInt64
    public let rawNode: RawNode
    /// The application's durable storage. The application writes it; raft only reads it, through
    /// `raftView`.
    public var storage: MemoryStorage { raftView.memory }
    /// What raft was given as its `Config.storage`: `storage`, read-only, with reads counted.
    public let raftView: ObservedStorage
    /// The application's state machine.
    public internal(set) var store: KeyValueStore
    /// The membership after the last conf change or snapshot applied; the application needs it
    /// to create snapshots.
    public internal(set) var confState: ConfState
    /// The last index applied to `store`. Raft keeps its own count, but only in memory; an
    /// application that saves this with its state can restart without replaying the log.
    public internal(set) var applied: UInt64
    /// Reads served so far, as `(context, answer)`, for scenarios to check.
    public internal(set) var servedReads: [(context: String, answer: String)] = []
    /// Answers to read requests that wait until `applied` reaches their index.
    var pendingReads: [ReadState] = []
    /// With asynchronous storage writes, the work raft queued for the local append and apply
    /// threads (`msgStorageAppend`, `msgStorageApply`), run by `runStorageThreads`.
    var appendWork: [Message] = []
    var applyWork: [Message] = []
    let asyncStorageWrites: Bool
    let trace: Trace

    /// Starts raft on `config` (whose storage must be `raftView`), with the application's state
    /// as it stands in `store` at index `applied`.
    init(config: Config, raftView: ObservedStorage, store: KeyValueStore, confState: ConfState, trace: Trace) throws {
        id = config.id
        rawNode = try RawNode(config: config)
        self.raftView = raftView
        self.store = store
        self.confState = confState
        applied = config.applied
        asyncStorageWrites = config.asyncStorageWrites
        self.trace = trace
    }

    /// The node's role, term, leader, and commit and applied indexes, on one line:
    /// `node 1: leader, term 1, lead 1, commit 3, applied 3`.
    public var statusLine: String { "node \(id): " + Server.statusText(rawNode.basicStatus()) }

    /// `leader, term 1, lead 1, commit 3, applied 3`.
    static func statusText(_ s: BasicStatus) -> String {
        "\(roleName(s.raftState)), term \(s.term), lead \(s.lead), commit \(s.commit), applied \(s.applied)"
    }

    /// The role in the articles' words.
    static func roleName(_ state: StateType) -> String {
        switch state {
        case .follower: "follower"
        case .preCandidate: "pre-candidate"
        case .candidate: "candidate"
        case .leader: "leader"
        }
    }
}

extension Server {
    /// One change in words: `add voter 4`, `add learner 4`, `remove 3`, `update 2`.
    static func changeText(_ change: ConfChangeSingle) -> String {
        switch change.type {
        case .confChangeAddNode: "add voter \(change.nodeID)"
        case .confChangeAddLearnerNode: "add learner \(change.nodeID)"
        case .confChangeRemoveNode: "remove \(change.nodeID)"
        case .confChangeUpdateNode: "update \(change.nodeID)"
        }
    }
}
