import Raft
import WorkbookChecks

/// Chapter 2, Raft roles: how a candidate counts its votes, and when a node grants one.
///
/// Solve the exercises below, then check them with `swift run workbook check 2`. The questions
/// are documented on `Ch02Exercises`; the checks are in
/// `Sources/WorkbookChecks/Checks/Ch02Checks.swift`.
public struct Ch02: Ch02Exercises {
    public init() {}

    /// Exercise 2.1, tallying votes: the granted and rejected votes that count, and whether the
    /// election is won, lost or pending.
    ///
    /// Hint (`swift run workbook hint 2.1`): Keep only the first answer of each node (a duplicate
    /// response must not count twice), and only answers from voters: learners and strangers do not
    /// vote. With a quorum of len(voters)/2 + 1, the election is won once the yes votes reach the
    /// quorum, lost once the yes votes plus the voters still silent can no longer reach it, and pending
    /// otherwise.
    public func tally(voters: [UInt64], learners: [UInt64], votes: [Vote]) -> VoteTally {
        // TODO(ch02): count the first answer of each voter, then compare with the quorum.
        VoteTally(granted: 0, rejected: 0, result: .votePending)
    }

    /// Exercise 2.2, the vote-granting rule: whether a follower grants a vote or pre-vote.
    ///
    /// Hint (`swift run workbook hint 2.2`): Settle the term first: a vote request from an older term
    /// is refused; a vote request from a newer term moves the follower to that term, forgetting its
    /// vote and leader (a pre-vote moves nobody). Then the follower can vote if it already voted for
    /// this candidate, or has voted for nobody and knows no leader, or the request is a pre-vote for a
    /// later term. Finally the candidate's log must be at least as up to date: a higher last term wins;
    /// with equal last terms, the last index must be at least ours.
    public func grantsVote(voter: VoterState, request: VoteRequest) -> Bool {
        // TODO(ch02): settle the term, then canVote, then compare the last entries of the logs.
        false
    }
}
