import Raft
import WorkbookChecks

/// Chapter 9, leader transfer.
///
/// Solve the exercises below, then check them with `swift run workbook check 9`. The questions
/// are documented on `Ch09Exercises`; the checks are in
/// `Sources/WorkbookChecks/Checks/Ch09Checks.swift`.
public struct Ch09: Ch09Exercises {
    public init() {}

    /// Exercise 9.1, the transfer decision: MsgTimeoutNow now, catch up first, or ignore.
    ///
    /// Hint (`swift run workbook hint 9.1`): Learners cannot lead, and a node the leader does not track
    /// cannot be caught up: ignore both. A request for the transfer already in progress is ignored too;
    /// a request for another node aborts the old transfer first — and if that other node is the leader
    /// itself, there is nothing left to do. Otherwise the transfer starts: a transferee whose log
    /// already reaches the leader's last index is told to campaign now; one that lags gets the missing
    /// entries first, and MsgTimeoutNow when it acknowledges them.
    public func transferDecision(_ situation: TransferSituation) -> TransferDecision {
        // TODO(ch09): rule out the requests that make no sense, then compare the logs.
        .ignore
    }

    /// Exercise 9.2, the lease and the transfer campaign: whether a follower answers a vote
    /// request for a higher term at all.
    ///
    /// Hint (`swift run workbook hint 9.2`): With CheckQuorum, a follower that has heard from its
    /// leader less than an election timeout ago (ticksSinceLeader < electionTimeout) trusts that leader
    /// and ignores vote and pre-vote requests for higher terms: their sender is probably a node that
    /// was cut off, and answering would disturb a healthy cluster (Raft thesis §4.2.3). The lease does
    /// not apply without CheckQuorum, without a known leader, or when the request carries the transfer
    /// context: the leader itself asked for that election.
    public func answersVoteRequest(_ situation: LeaseSituation) -> Bool {
        // TODO(ch09): the lease holds only under CheckQuorum, with a leader heard from recently.
        false
    }
}
