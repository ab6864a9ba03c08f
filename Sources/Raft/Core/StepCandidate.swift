/// How a candidate or pre-candidate handles messages: count the votes of its own campaign, and
/// give up as soon as a leader of its term shows up.
///
/// etcd: `stepCandidate`.
package func stepCandidate(_ r: RaftStateMachine, _ m: consuming Message) throws(RaftError) {
    // Only the responses of the current campaign count: a candidate may still receive pre-vote
    // answers from the pre-election it just won.
    let myVoteRespType: MessageType = r.state == .preCandidate ? .msgPreVoteResp : .msgVoteResp
    switch m.type {
    case .msgProp:
        r.logger.info("\(hex(r.id)) no leader at term \(r.term); dropping proposal")
        throw .proposalDropped
    case .msgApp:
        // A leader of our term exists (terms were settled in step): follow it. etcd passes
        // m.term, which equals ours here unless the message carries no term at all (0, as only a
        // corrupt or hand-made one does); then it would move our term back to 0. Our own term is
        // the same in every legitimate case and never goes backwards.
        r.becomeFollower(term: r.term, lead: m.from)
        try r.handleAppendEntries(m)
    case .msgHeartbeat:
        r.becomeFollower(term: r.term, lead: m.from)
        try r.handleHeartbeat(m)
    case .msgSnap:
        r.becomeFollower(term: r.term, lead: m.from)
        try r.handleSnapshot(m)
    case myVoteRespType:
        if let yours = r.parts.handleVoteResponse { yours(r, m) } else { r.handleVoteResponse(m) }
    case .msgTimeoutNow:
        r.logger.debug("\(hex(r.id)) [term \(r.term) state \(r.state)] ignored MsgTimeoutNow from \(hex(m.from))")
    default:
        break
    }
}

extension RaftStateMachine {
    /// A (pre-)candidate counts a vote response of its campaign: won, it moves on (from the
    /// pre-election to the election, or from the election to leadership); lost, it goes back to
    /// following, in its own term.
    ///
    /// etcd: the `myVoteRespType` case of `stepCandidate`.
    package func handleVoteResponse(_ m: Message) {
        let (granted, rejected, result) = poll(m.from, m.type, !m.reject)
        logger.info("\(hex(id)) has received \(granted) \(m.type) votes and \(rejected) vote rejections")
        switch result {
        case .voteWon:
            if state == .preCandidate {
                campaign(.election)
            } else {
                if let yours = parts.becomeLeader { yours(self) } else { becomeLeader() }
                bcastAppend()
            }
        case .voteLost:
            // A pre-vote response carries a future term; stay in ours.
            becomeFollower(term: term, lead: PeerID.none)
        case .votePending:
            break
        }
    }
}
