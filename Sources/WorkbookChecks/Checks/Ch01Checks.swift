import Raft

/// The checks of chapter 1, the Node interface.
enum Ch01Checks {
    static let exercises = [stepFilter, proposalGate]

    // MARK: - 1.1 The step filter

    static let stepFilter = Exercise(
        ExerciseID(1, 1), "the step filter",
        summary: "Which messages RawNode.step refuses before raft sees them, and with which RaftError.",
        symbol: "stepRefusal(type:from:members:)",
        hint: """
            Two gates, in this order. First: a message type that only ever travels inside a node \
            (MessageType.isLocal) is refused with .stepLocalMsg unless it comes from one of the \
            node's own storage threads (PeerID.isLocalTarget). Second: a response \
            (MessageType.isResponse) from a sender outside the configuration is refused with \
            .stepPeerNotFound, again unless the sender is a storage thread. Requests from \
            strangers pass: a node outside the configuration may still be a new leader or \
            candidate.
            """,
        subject: { $0.ch01 },
        checks: [
            Check("local-only messages from a peer are refused with .stepLocalMsg") { ch, expect in
                let members: Set<UInt64> = [1, 2, 3]
                for type in [MessageType.msgHup, .msgBeat, .msgCheckQuorum, .msgSnapStatus, .msgStorageAppend] {
                    expect.equal(ch.stepRefusal(type: type, from: 2, members: members), .stepLocalMsg,
                                 "stepRefusal(type: .\(type.swiftName), from: 2, members: [1, 2, 3])")
                }
            },
            Check("a response from outside the configuration is refused with .stepPeerNotFound") { ch, expect in
                let members: Set<UInt64> = [1, 2, 3]
                for type in [MessageType.msgAppResp, .msgHeartbeatResp, .msgVoteResp, .msgReadIndexResp] {
                    expect.equal(ch.stepRefusal(type: type, from: 9, members: members), .stepPeerNotFound,
                                 "stepRefusal(type: .\(type.swiftName), from: 9, members: [1, 2, 3])")
                }
                expect.equal(ch.stepRefusal(type: .msgAppResp, from: 2, members: members), nil,
                             "stepRefusal(type: .msgAppResp, from: 2, members: [1, 2, 3])")
                expect.equal(ch.stepRefusal(type: .msgAppResp, from: 4, members: [1, 2, 3, 4]), nil,
                             "stepRefusal(type: .msgAppResp, from: 4, members: [1, 2, 3, 4])")
            },
            Check("only responses are checked against the configuration") { ch, expect in
                let members: Set<UInt64> = [1, 2, 3]
                for type in [MessageType.msgApp, .msgHeartbeat, .msgVote, .msgPreVote, .msgSnap, .msgTimeoutNow] {
                    expect.equal(ch.stepRefusal(type: type, from: 9, members: members), nil,
                                 "stepRefusal(type: .\(type.swiftName), from: 9, members: [1, 2, 3])")
                }
                expect.equal(ch.stepRefusal(type: .msgHeartbeatResp, from: 9, members: members), .stepPeerNotFound,
                             "stepRefusal(type: .msgHeartbeatResp, from: 9, members: [1, 2, 3])")
            },
            Check("the local-message gate comes first") { ch, expect in
                // msgUnreachable and msgStorageAppendResp are both local and responses.
                let members: Set<UInt64> = [1, 2, 3]
                expect.equal(ch.stepRefusal(type: .msgUnreachable, from: 9, members: members), .stepLocalMsg,
                             "stepRefusal(type: .msgUnreachable, from: 9, members: [1, 2, 3])")
                expect.equal(ch.stepRefusal(type: .msgStorageAppendResp, from: 9, members: members), .stepLocalMsg,
                             "stepRefusal(type: .msgStorageAppendResp, from: 9, members: [1, 2, 3])")
                expect.equal(ch.stepRefusal(type: .msgStorageApplyResp, from: 3, members: members), .stepLocalMsg,
                             "stepRefusal(type: .msgStorageApplyResp, from: 3, members: [1, 2, 3])")
            },
            Check("the node's own storage threads may send local messages") { ch, expect in
                let members: Set<UInt64> = [1, 2, 3]
                let append = PeerID.localAppendThread, apply = PeerID.localApplyThread
                expect.equal(ch.stepRefusal(type: .msgStorageAppendResp, from: append, members: members), nil,
                             "stepRefusal(type: .msgStorageAppendResp, from: PeerID.localAppendThread, members: [1, 2, 3])")
                expect.equal(ch.stepRefusal(type: .msgStorageApplyResp, from: apply, members: members), nil,
                             "stepRefusal(type: .msgStorageApplyResp, from: PeerID.localApplyThread, members: [1, 2, 3])")
                expect.equal(ch.stepRefusal(type: .msgStorageApplyResp, from: 2, members: members), .stepLocalMsg,
                             "stepRefusal(type: .msgStorageApplyResp, from: 2, members: [1, 2, 3])")
            },
            .agreesWithReference(
                "agrees with RawNode.step on every message type and kind of sender",
                reference: Ch01Reference(),
                inputs: stepFilterCases,
                describe: { "stepRefusal(type: .\($0.type.swiftName), from: \(senderName($0.from)), members: [1, 2, 3])" },
                { ch, c in ch.stepRefusal(type: c.type, from: c.from, members: [1, 2, 3]) }),
        ])

    /// Every message type from a member, a stranger, itself, and both storage threads.
    static let stepFilterCases: [StepCase] = MessageType.allCases.flatMap { type in
        [1, 2, 9, PeerID.localAppendThread, PeerID.localApplyThread].map { StepCase(type: type, from: $0) }
    }

    struct StepCase: Sendable {
        let type: MessageType
        let from: UInt64
    }

    static func senderName(_ id: UInt64) -> String {
        switch id {
        case PeerID.localAppendThread: "PeerID.localAppendThread"
        case PeerID.localApplyThread: "PeerID.localApplyThread"
        default: "\(id)"
        }
    }

    // MARK: - 1.2 The proposal gate

    static let proposalGate = Exercise(
        ExerciseID(1, 2), "the proposal gate",
        summary: "When RawNode.propose appends, forwards or drops a proposal.",
        symbol: "proposalFate(_:)",
        hint: """
            Only a leader appends, and a leader refuses new proposals while it is handing \
            leadership over (the entries could be lost with the old term) or when its log \
            already holds maxUncommittedEntriesSize bytes nobody has acknowledged. A follower \
            forwards to the leader it knows, unless forwarding is disabled; with no leader known \
            (followers that lost it, candidates, pre-candidates) there is nobody to take it. \
            Node.propose differs on one point: it waits for a leader instead of dropping.
            """,
        subject: { $0.ch01 },
        checks: [
            Check("a follower forwards to the leader it knows, and drops without one") { ch, expect in
                expect.equal(ch.proposalFate(.follower(leaderKnown: true, forwardingDisabled: false)), .forwardedToLeader,
                             "proposalFate(.follower(leaderKnown: true, forwardingDisabled: false))")
                expect.equal(ch.proposalFate(.follower(leaderKnown: false, forwardingDisabled: false)), .dropped,
                             "proposalFate(.follower(leaderKnown: false, forwardingDisabled: false))")
            },
            Check("disabling forwarding makes a follower drop") { ch, expect in
                expect.equal(ch.proposalFate(.follower(leaderKnown: true, forwardingDisabled: true)), .dropped,
                             "proposalFate(.follower(leaderKnown: true, forwardingDisabled: true))")
                expect.equal(ch.proposalFate(.follower(leaderKnown: true, forwardingDisabled: false)), .forwardedToLeader,
                             "proposalFate(.follower(leaderKnown: true, forwardingDisabled: false))")
            },
            Check("candidates know no leader; only a leader appends") { ch, expect in
                expect.equal(ch.proposalFate(.candidate), .dropped, "proposalFate(.candidate)")
                expect.equal(ch.proposalFate(.preCandidate), .dropped, "proposalFate(.preCandidate)")
                expect.equal(ch.proposalFate(.leader(transferInProgress: false, uncommittedLimitReached: false)), .appended,
                             "proposalFate(.leader(transferInProgress: false, uncommittedLimitReached: false))")
            },
            Check("a leader drops during a transfer and at the uncommitted limit") { ch, expect in
                expect.equal(ch.proposalFate(.leader(transferInProgress: true, uncommittedLimitReached: false)), .dropped,
                             "proposalFate(.leader(transferInProgress: true, uncommittedLimitReached: false))")
                expect.equal(ch.proposalFate(.leader(transferInProgress: false, uncommittedLimitReached: true)), .dropped,
                             "proposalFate(.leader(transferInProgress: false, uncommittedLimitReached: true))")
                expect.equal(ch.proposalFate(.leader(transferInProgress: false, uncommittedLimitReached: false)), .appended,
                             "proposalFate(.leader(transferInProgress: false, uncommittedLimitReached: false))")
            },
            .agreesWithReference(
                "agrees with RawNode.propose in every situation",
                reference: Ch01Reference(),
                inputs: ProposalSituation.all,
                describe: { "proposalFate(\($0))" },
                { ch, situation in ch.proposalFate(situation) }),
        ])
}

extension MessageType {
    /// The case name as written in Swift (`msgAppResp`), for describing calls.
    var swiftName: String {
        let name = description  // "MsgAppResp"
        return name.prefix(1).lowercased() + name.dropFirst()
    }
}
