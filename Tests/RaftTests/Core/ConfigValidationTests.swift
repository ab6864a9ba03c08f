import Testing
@testable import Raft

// Config.validate: each refused configuration with etcd's message, and the defaults it fills in.

@Suite struct ConfigValidationTests {
    /// Every invalid configuration is refused by RawNode (and the state machine) with etcd's text.
    @Test(arguments: InvalidConfig.allCases)
    func invalidConfigIsRefused(_ invalid: InvalidConfig) throws {
        var config = testConfig(id: 1, storage: try testStorage(peers: [1]))
        invalid.apply(to: &config)
        #expect(throws: RaftError.config(ConfigError(invalid.message))) { _ = try RawNode(config: config) }
        #expect(throws: RaftError.config(ConfigError(invalid.message))) { _ = try RaftStateMachine(config: config) }
    }

    /// The boundary cases that are valid.
    @Test func boundaryConfigsAreAccepted() throws {
        var config = testConfig(id: 1, election: 2, heartbeat: 1, storage: try testStorage(peers: [1]))
        config.maxInflightMsgs = 1
        config.maxSizePerMsg = 1024
        config.maxInflightBytes = 1024
        config.readOnlyOption = .leaseBased
        config.checkQuorum = true
        _ = try RawNode(config: config)
    }

    /// Zero means "no limit" for the uncommitted size and the inflight bytes, and "as much as one
    /// message" for the committed entries handed out per Ready.
    @Test func defaultsAreFilledIn() throws {
        var config = Config(id: 1, electionTick: 10, heartbeatTick: 1, storage: try testStorage(peers: [1]))
        config.logger = DiscardLogger()
        config.maxSizePerMsg = 4096
        let r = try RaftStateMachine(config: config)
        #expect(r.maxUncommittedSize == .unlimited)
        #expect(r.trk.maxInflightBytes == noLimit)
        #expect(r.raftLog.maxApplyingEntsSize == 4096)
        #expect(r.maxMsgSize == 4096)

        config.maxCommittedSizePerReady = 100
        config.maxUncommittedEntriesSize = 200
        config.maxInflightBytes = 8192
        let r2 = try RaftStateMachine(config: config)
        #expect(r2.maxUncommittedSize == 200)
        #expect(r2.trk.maxInflightBytes == 8192)
        #expect(r2.raftLog.maxApplyingEntsSize == 100)
    }

    /// The error's description is etcd's text.
    @Test func errorDescriptionIsTheMessage() {
        #expect(ConfigError("heartbeat tick must be greater than 0").description == "heartbeat tick must be greater than 0")
    }
}

/// One way to get a configuration wrong, and etcd's message for it.
enum InvalidConfig: CaseIterable, Sendable {
    case noneID, appendThreadID, applyThreadID, zeroHeartbeat, negativeHeartbeat
    case electionNotAboveHeartbeat, noInflightMessages, inflightBytesBelowMessageSize, leaseWithoutCheckQuorum

    func apply(to c: inout Config) {
        switch self {
        case .noneID: c.id = PeerID.none
        case .appendThreadID: c.id = PeerID.localAppendThread
        case .applyThreadID: c.id = PeerID.localApplyThread
        case .zeroHeartbeat: c.heartbeatTick = 0
        case .negativeHeartbeat: c.heartbeatTick = -1
        case .electionNotAboveHeartbeat: c.electionTick = c.heartbeatTick
        case .noInflightMessages: c.maxInflightMsgs = 0
        case .inflightBytesBelowMessageSize:
            c.maxSizePerMsg = 1024
            c.maxInflightBytes = 1023
        case .leaseWithoutCheckQuorum: c.readOnlyOption = .leaseBased
        }
    }

    var message: String {
        switch self {
        case .noneID: "cannot use none as id"
        case .appendThreadID, .applyThreadID: "cannot use local target as id"
        case .zeroHeartbeat, .negativeHeartbeat: "heartbeat tick must be greater than 0"
        case .electionNotAboveHeartbeat: "election tick must be greater than heartbeat tick"
        case .noInflightMessages: "max inflight messages must be greater than 0"
        case .inflightBytesBelowMessageSize: "max inflight bytes must be >= max message size"
        case .leaseWithoutCheckQuorum: "CheckQuorum must be enabled when ReadOnlyOption is ReadOnlyLeaseBased"
        }
    }
}
