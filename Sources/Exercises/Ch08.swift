import Raft
import WorkbookChecks

/// Chapter 8, membership change and joint consensus.
///
/// Solve the exercises below, then check them with `swift run workbook check 8`. The questions
/// are documented on `Ch08Exercises`; the checks are in
/// `Sources/WorkbookChecks/Checks/Ch08Checks.swift`.
public struct Ch08: Ch08Exercises {
    public init() {}

    /// Exercise 8.1, the joint vote result: both majorities must agree.
    ///
    /// Hint (`swift run workbook hint 8.1`): Compute each half's result on its own: in a half, yes
    /// votes reaching a majority win, yes votes plus silent voters unable to reach it lose, anything
    /// else is pending — and an empty half always wins, so that outside a change only the incoming half
    /// matters. Then combine: equal results stand; otherwise a loss in either half loses, and any other
    /// mix is still pending.
    public func jointVoteResult(incoming: [UInt64], outgoing: [UInt64], votes: [UInt64: Bool]) -> VoteResult {
        // TODO(ch08): one result per half, then combine them.
        .votePending
    }

    /// Exercise 8.2, validating a simple change: the new configuration, or why it is refused.
    ///
    /// Hint (`swift run workbook hint 8.2`): Apply the changes one by one to copies of the voter and
    /// learner sets: add makes a voter (a learner is promoted), addLearner makes a learner (a voter is
    /// demoted), remove takes the node out of both, update changes nothing. If no voter is left, refuse
    /// with .removedAllVoters. Then count the voters in exactly one of the old and new voter sets: more
    /// than one means two majorities that need not overlap, which only a joint configuration makes safe
    /// — refuse with .moreThanOneVoterChanged.
    public func simpleChange(voters: [UInt64], learners: [UInt64], changes: [ConfChangeSingle]) -> SimpleChangeOutcome {
        // TODO(ch08): apply the changes, then refuse no voters or more than one voter changed.
        .applied(voters: voters.sorted(), learners: learners.sorted())
    }
}
