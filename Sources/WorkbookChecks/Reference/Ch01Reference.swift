import Raft

/// Chapter 1 answered by real `RawNode`s: each question builds a fresh node in the described
/// situation and asks it.
struct Ch01Reference: Ch01Exercises {
    func stepRefusal(type: MessageType, from sender: UInt64, members: Set<UInt64>) -> RaftError? {
        guard let node = try? LabNode(voters: members.union([1]).sorted()) else { return nil }
        var m = Message(type: type, to: node.id, from: sender)
        // Well-formed requests, so that a refusal can only come from the gates or raft's rules.
        if type == .msgProp || type == .msgReadIndex { m.entries = [Entry(data: [1])] }
        do {
            try node.raw.step(m)
            return nil
        } catch {
            switch error {
            case .stepLocalMsg, .stepPeerNotFound: return error
            default: return nil  // it got through the gates; raft itself refused it
            }
        }
    }

    func proposalFate(_ situation: ProposalSituation) -> ProposalFate {
        let data: [UInt8] = Array("proposal".utf8)
        let node: LabNode
        do {
            switch situation {
            case .follower(let leaderKnown, let forwardingDisabled):
                node = try LabNode(voters: [1, 2, 3]) { $0.disableProposalForwarding = forwardingDisabled }
                if leaderKnown { node.receive(Message(type: .msgHeartbeat, from: 2, term: 1)) }
            case .preCandidate:
                node = try LabNode(voters: [1, 2, 3]) { $0.preVote = true }
                try node.raw.campaign()
            case .candidate:
                node = try LabNode(voters: [1, 2, 3])
                try node.raw.campaign()
            case .leader(let transferInProgress, let limitReached):
                node = try LabNode(voters: [1, 2, 3]) { $0.maxUncommittedEntriesSize = 8 }
                node.campaignAndWin(votesFrom: [2])
                if limitReached {
                    // Nobody acknowledges: these 8 bytes stay uncommitted and fill the limit.
                    try node.raw.propose(Array("12345678".utf8))
                }
                if transferInProgress {
                    // Node 2 acknowledged nothing, so the transfer waits for it to catch up.
                    node.raw.transferLeader(2)
                }
            }
        } catch {
            return .dropped
        }
        node.cycle()
        do { try node.raw.propose(data) } catch { return .dropped }
        let rd = node.cycle()
        if rd.entries.contains(where: { $0.data == data }) { return .appended }
        if rd.messages.contains(where: { $0.type == .msgProp && $0.entries.contains { $0.data == data } }) {
            return .forwardedToLeader
        }
        return .dropped
    }
}
