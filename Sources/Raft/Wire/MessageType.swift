/// Every kind of message raft sends or receives, including the local ones that never leave the node.
///
/// etcd: `raftpb.MessageType`. The raw values are etcd's numbers for the same types, for a
/// transport that wants to follow raftpb; the module itself never encodes a message (sending one
/// is the application's transport's job), so the values promise nothing about a wire format.
public enum MessageType: UInt8, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Local: time to start an election (from `tick` or `campaign`).
    case msgHup = 0
    /// Local: a leader's cue to send heartbeats.
    case msgBeat = 1
    /// A proposal of new entries, from the application or forwarded by a follower.
    case msgProp = 2
    /// The leader appends entries to (or probes) a follower's log.
    case msgApp = 3
    /// A follower's answer to `msgApp`: accepted up to an index, or rejected with a hint.
    case msgAppResp = 4
    /// A candidate asks for a vote.
    case msgVote = 5
    /// A voter's answer to `msgVote`.
    case msgVoteResp = 6
    /// The leader sends a snapshot to a follower too far behind for entries.
    case msgSnap = 7
    /// The leader's periodic message that keeps followers from campaigning; carries the commit index.
    case msgHeartbeat = 8
    /// A follower's answer to `msgHeartbeat`.
    case msgHeartbeatResp = 9
    /// Local: the application reports that a peer could not be reached.
    case msgUnreachable = 10
    /// Local: the application reports how sending a snapshot went.
    case msgSnapStatus = 11
    /// Local: a leader's cue to check that a quorum is still active.
    case msgCheckQuorum = 12
    /// Ask the leader to hand leadership over to another node.
    case msgTransferLeader = 13
    /// The leader tells the transferee to campaign now, without waiting for its timeout.
    case msgTimeoutNow = 14
    /// A request for a linearizable read point.
    case msgReadIndex = 15
    /// The leader's answer to a forwarded `msgReadIndex`.
    case msgReadIndexResp = 16
    /// A pre-candidate asks whether it could win an election, without disturbing terms.
    case msgPreVote = 17
    /// A voter's answer to `msgPreVote`.
    case msgPreVoteResp = 18
    /// Local, async storage writes: persist these entries, hard state and snapshot.
    case msgStorageAppend = 19
    /// Local, async storage writes: the append is durable.
    case msgStorageAppendResp = 20
    /// Local, async storage writes: apply these committed entries.
    case msgStorageApply = 21
    /// Local, async storage writes: the entries are applied.
    case msgStorageApplyResp = 22
    /// Ask a follower to forget its leader (so it may vote sooner under CheckQuorum).
    case msgForgetLeader = 23

    public var description: String {
        switch self {
        case .msgHup: "MsgHup"
        case .msgBeat: "MsgBeat"
        case .msgProp: "MsgProp"
        case .msgApp: "MsgApp"
        case .msgAppResp: "MsgAppResp"
        case .msgVote: "MsgVote"
        case .msgVoteResp: "MsgVoteResp"
        case .msgSnap: "MsgSnap"
        case .msgHeartbeat: "MsgHeartbeat"
        case .msgHeartbeatResp: "MsgHeartbeatResp"
        case .msgUnreachable: "MsgUnreachable"
        case .msgSnapStatus: "MsgSnapStatus"
        case .msgCheckQuorum: "MsgCheckQuorum"
        case .msgTransferLeader: "MsgTransferLeader"
        case .msgTimeoutNow: "MsgTimeoutNow"
        case .msgReadIndex: "MsgReadIndex"
        case .msgReadIndexResp: "MsgReadIndexResp"
        case .msgPreVote: "MsgPreVote"
        case .msgPreVoteResp: "MsgPreVoteResp"
        case .msgStorageAppend: "MsgStorageAppend"
        case .msgStorageAppendResp: "MsgStorageAppendResp"
        case .msgStorageApply: "MsgStorageApply"
        case .msgStorageApplyResp: "MsgStorageApplyResp"
        case .msgForgetLeader: "MsgForgetLeader"
        }
    }

    /// Whether the message only ever travels inside one node (raft to itself or to its storage
    /// threads) and must be refused when it arrives from the network.
    ///
    /// etcd: `IsLocalMsg`.
    @inlinable public var isLocal: Bool {
        switch self {
        case .msgHup, .msgBeat, .msgUnreachable, .msgSnapStatus, .msgCheckQuorum,
             .msgStorageAppend, .msgStorageAppendResp, .msgStorageApply, .msgStorageApplyResp:
            true
        default:
            false
        }
    }

    /// Whether the message answers an earlier request.
    ///
    /// etcd: `IsResponseMsg`.
    @inlinable public var isResponse: Bool {
        switch self {
        case .msgAppResp, .msgVoteResp, .msgHeartbeatResp, .msgUnreachable, .msgReadIndexResp,
             .msgPreVoteResp, .msgStorageAppendResp, .msgStorageApplyResp:
            true
        default:
            false
        }
    }

    /// The response type for a vote request (`msgVote` or `msgPreVote`); `nil` for any other type.
    ///
    /// etcd: `voteRespMsgType`.
    @inlinable public var voteResponse: MessageType? {
        switch self {
        case .msgVote: .msgVoteResp
        case .msgPreVote: .msgPreVoteResp
        default: nil
        }
    }
}
