// The quorum rules with the learner's pieces in them: a joint configuration decides by asking
// each half's majority, so the learner's majority rule (exercises 2.1 and 6.1) runs inside the
// library's joint rule, or inside the learner's own (8.1, 8.2) when that is plugged in too.

extension Parts {
    /// Whether a learner's vote rule (majority or joint) is plugged in.
    package var decidesVotes: Bool { voteResult != nil || jointVoteResult != nil }
    /// Whether a learner's commit rule (majority or joint) is plugged in.
    package var decidesCommits: Bool { committedIndex != nil || jointCommittedIndex != nil }

    /// A majority's vote result: the learner's rule (2.1) or the library's.
    package func voteResult(of c: MajorityConfig, _ votes: [UInt64: Bool]) -> VoteResult {
        if let yours = voteResult { return yours(c, votes) }
        return c.voteResult(votes)
    }

    /// A joint configuration's vote result: the learner's joint rule (8.2), or the library's over
    /// the majority rule in use.
    package func voteResult(of c: JointConfig, _ votes: [UInt64: Bool]) -> VoteResult {
        if let yours = jointVoteResult { return yours(c, votes) }
        return c.voteResult(votes) { voteResult(of: $0, votes) }
    }

    /// A majority's committed index: the learner's rule (6.1) or the library's.
    package func committedIndex(of c: MajorityConfig, _ l: some AckedIndexer) -> UInt64 {
        if let yours = committedIndex { return yours(c, l) }
        return c.committedIndex(l)
    }

    /// A joint configuration's committed index: the learner's joint rule (8.1), or the library's
    /// over the majority rule in use.
    package func committedIndex(of c: JointConfig, _ l: some AckedIndexer) -> UInt64 {
        if let yours = jointCommittedIndex { return yours(c, l) }
        return c.committedIndex { committedIndex(of: $0, l) }
    }
}

extension RaftStateMachine {
    /// The voters' verdict on `votes` (an election's, or a read's acknowledgements).
    @inline(__always)
    package func voteResult(_ votes: [UInt64: Bool]) -> VoteResult {
        guard parts.decidesVotes else { return trk.config.voters.voteResult(votes) }
        return parts.voteResult(of: trk.config.voters, votes)
    }

    /// The index a quorum of voters has acknowledged: what the leader may commit up to.
    @inline(__always)
    package func committedByQuorum() -> UInt64 {
        guard parts.decidesCommits else { return trk.committed() }
        return trk.committed { parts.committedIndex(of: $0, $1) }
    }

    /// Whether a quorum of voters was recently active (check-quorum).
    package func quorumActive() -> Bool {
        guard parts.decidesVotes else { return trk.quorumActive() }
        return trk.quorumActive { parts.voteResult(of: $0, $1) }
    }
}
