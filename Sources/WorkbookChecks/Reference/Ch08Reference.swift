import Raft

/// Chapter 8 answered by the library's `JointConfig` and `Changer`.
struct Ch08Reference: Ch08Exercises {
    func jointVoteResult(incoming: [UInt64], outgoing: [UInt64], votes: [UInt64: Bool]) -> VoteResult {
        JointConfig(incoming: MajorityConfig(incoming), outgoing: MajorityConfig(outgoing)).voteResult(votes)
    }

    func simpleChange(voters: [UInt64], learners: [UInt64], changes: [ConfChangeSingle]) -> SimpleChangeOutcome {
        var tracker = ProgressTracker(maxInflight: 1, maxBytes: 0)
        do {
            (tracker.config, tracker.progress) = try Changer(tracker: tracker, lastIndex: 10)
                .restore(ConfState(voters: voters, learners: learners))
            let (config, _) = try Changer(tracker: tracker, lastIndex: 10).simple(changes)
            return .applied(voters: config.voters.incoming.sorted, learners: config.learners.sorted())
        } catch {
            return .refused(error)
        }
    }
}
