import Raft
import WorkbookChecks

/// Chapter 3, Ready and Advance: the application's side of the contract.
///
/// Solve the exercises below, then check them with `swift run workbook check 3`. The questions
/// are documented on `Ch03Exercises`; the checks are in
/// `Sources/WorkbookChecks/Checks/Ch03Checks.swift`.
public struct Ch03: Ch03Exercises {
    public init() {}

    /// Exercise 3.1, `mustSync`: whether a Ready's state must be written synchronously.
    ///
    /// Hint (`swift run workbook hint 3.1`): Raft's messages make promises about durable state: a vote
    /// promises the term and the vote will not be forgotten, an append acknowledgement promises the
    /// entries are stored (Raft paper, figure 2: persist before responding). So new entries, a new term
    /// or a new vote must be synced. The commit index is different: a node that forgets it after a
    /// crash simply learns it again from the leader.
    public func mustSync(previous: HardState, current: HardState, entryCount: Int) -> Bool {
        // TODO(ch03): which changes do raft's messages make promises about?
        false
    }

    /// Exercise 3.2, the Ready loop: the application's actions for one Ready, in order. One of
    /// the checks runs a real three-node cluster with your loop handling every Ready.
    ///
    /// Hint (`swift run workbook hint 3.2`): Walk the Ready's fields in the order of the contract and
    /// emit an action only for a field with something in it: .saveSnapshot when !snapshot.isEmpty,
    /// .appendEntries when entries is not empty, .saveHardState when !hardState.isEmpty, then .send for
    /// the messages, .apply for committedEntries, and always .advance last. Messages go out only after
    /// the state they speak for is persisted: a vote or an append acknowledgement sent before its write
    /// could be forgotten by a crash, breaking the promise it made.
    public func readyPlan(for ready: Ready) -> [ReadyAction] {
        // TODO(ch03): persist (snapshot, entries, hard state), send, apply, advance.
        []
    }
}
