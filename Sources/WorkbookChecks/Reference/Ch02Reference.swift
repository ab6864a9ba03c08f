import Raft

/// Chapter 2 answered by the library: the progress tracker's tally, and a real follower's answer
/// to a vote request.
struct Ch02Reference: Ch02Exercises {
    func tally(voters: [UInt64], learners: [UInt64], votes: [Vote]) -> VoteTally {
        var tracker = ProgressTracker(maxInflight: 1, maxBytes: 0)
        let changer = Changer(tracker: tracker, lastIndex: 1)
        guard let (config, progress) = try? changer.restore(ConfState(voters: voters, learners: learners)) else {
            return VoteTally(granted: 0, rejected: 0, result: .votePending)
        }
        tracker.config = config
        tracker.progress = progress
        for vote in votes { tracker.recordVote(vote.from, vote.granted) }
        let (granted, rejected, result) = tracker.tallyVotes()
        return VoteTally(granted: granted, rejected: rejected, result: result)
    }

    /// The follower is node 1 of a five-voter cluster; its log holds `lastLog.index` entries, all
    /// of term `lastLog.term` (only the last entry matters to the rule).
    func grantsVote(voter: VoterState, request: VoteRequest) -> Bool {
        let terms = [UInt64](repeating: voter.lastLog.term, count: Int(voter.lastLog.index))
        let hardState = HardState(term: voter.term, vote: voter.vote, commit: 0)
        guard let node = try? LabNode(voters: [1, 2, 3, 4, 5], terms: terms, hardState: hardState) else {
            return false
        }
        if voter.lead != PeerID.none {
            // A heartbeat of the current term is how a follower learns its leader.
            node.receive(Message(type: .msgHeartbeat, from: voter.lead, term: voter.term))
        }
        node.cycle()
        let type: MessageType = request.kind == .vote ? .msgVote : .msgPreVote
        node.receive(Message(type: type, from: request.from, term: request.term,
                             logTerm: request.lastLog.term, index: request.lastLog.index))
        let rd = node.cycle()
        let response = rd.messages.first { $0.to == request.from && $0.type == type.voteResponse }
        return response.map { !$0.reject } ?? false
    }
}
