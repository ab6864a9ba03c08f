import Raft

/// Chapter 5 answered by the library: its `ReadOnly` queue (package access) with the glue of
/// `stepLeader`, and real nodes asked for a read.
struct Ch05Reference: Ch05Exercises {
    func receiveHeartbeatAck(voters: [UInt64], pending: [PendingRead], from: UInt64, context: String) -> ReadAckResult {
        var readOnly = ReadOnly(option: .safe)
        for read in pending {
            let bytes = Array(read.context.utf8)
            readOnly.addRequest(read.index, Message(type: .msgReadIndex, entries: [Entry(data: bytes)]))
            for ack in read.acks.sorted() { _ = readOnly.recvAck(ack, bytes) }
        }
        // What stepLeader does with a heartbeat response that carries a context.
        let bytes = Array(context.utf8)
        let acks = readOnly.recvAck(from, bytes)
        var released: [ReleasedRead] = []
        if JointConfig(incoming: MajorityConfig(voters)).voteResult(acks) == .voteWon {
            for status in readOnly.advance(Message(type: .msgHeartbeatResp, from: from, context: bytes)) {
                let ctx = status.req.entries.first?.data ?? []
                released.append(ReleasedRead(String(decoding: ctx, as: UTF8.self), index: status.index))
            }
        }
        let left = readOnly.readIndexQueue.compactMap { ctx in
            readOnly.pendingReadIndex[ctx].map {
                PendingRead(String(decoding: ctx, as: UTF8.self), index: $0.index, acks: $0.acks)
            }
        }
        return ReadAckResult(released: released, pending: left)
    }

    func readDecision(_ situation: ReadSituation) -> ReadDecision {
        let context: [UInt8] = Array("read".utf8)
        let node: LabNode
        var quorum: [UInt64] = []
        do {
            switch situation {
            case .follower(let leaderKnown):
                node = try LabNode(voters: [1, 2, 3])
                if leaderKnown { node.receive(Message(type: .msgHeartbeat, from: 2, term: 1)) }
                node.cycle()
            case .candidate:
                node = try LabNode(voters: [1, 2, 3])
                try node.raw.campaign()
                node.cycle()
            case .leader(let voters, let committed, let leaseBased):
                let ids = (1...UInt64(max(1, voters))).map { $0 }
                node = try LabNode(voters: ids) {
                    $0.readOnlyOption = leaseBased ? .leaseBased : .safe
                    $0.checkQuorum = leaseBased  // lease-based reads require it
                }
                // The other members of a majority: they vote, and acknowledge when asked to.
                quorum = Array(ids.dropFirst().prefix(ids.count / 2))
                if ids.count == 1 {
                    try node.raw.campaign()
                    node.cycle()  // its own vote elects it; its empty entry is not durable yet
                    if committed { node.cycle() }  // its own acknowledgement commits it
                } else {
                    node.campaignAndWin(votesFrom: quorum)
                    if committed {
                        for id in quorum { node.acknowledge(from: id, upTo: node.lastIndex) }
                        node.cycle()
                    }
                }
            }
        } catch {
            return .drop
        }
        node.raw.readIndex(context)
        if let seen = Ch05Reference.observe(node.cycle(), context) { return seen }
        guard node.role == .leader else { return .drop }
        // Nothing visible: see whether the read was held back until the first commit of the term.
        for id in quorum { node.acknowledge(from: id, upTo: node.lastIndex) }
        if Ch05Reference.observe(node.cycle(), context) != nil { return .waitForFirstCommit }
        return .drop
    }

    /// What a Ready shows of the read with `context`, if anything.
    private static func observe(_ rd: Ready, _ context: [UInt8]) -> ReadDecision? {
        if rd.readStates.contains(where: { $0.requestCtx == context }) { return .answerNow }
        if rd.messages.contains(where: { $0.type == .msgHeartbeat && $0.context == context }) { return .confirmWithHeartbeats }
        if rd.messages.contains(where: { $0.type == .msgReadIndex }) { return .forwardToLeader }
        return nil
    }
}
