import ExerciseSupport
import Raft

/// Exercise 6.3: a follower rejected an append: back off.
///
/// Write what `Progress.maybeDecrTo` does (Chapter 6, "Probe, replicate, snapshot"). The leader
/// calls it (from `handleAppendRejection`, exercise 6.4) when follower `pr` rejected the append
/// whose entries followed index `rejected`, and the follower's log cannot match ours beyond
/// `matchHint`. Return whether the rejection moved `pr`; a stale one (answering an append the
/// progress already knows more than) returns false and changes nothing.
///
/// - `.replicate`: everything up to `pr.match` was acknowledged, so a rejection at or below it is
///   stale. Otherwise the appends sent after `pr.match` are all suspect: send again from right
///   after `pr.match`.
/// - `.probe` (and `.snapshot`): only one append is outstanding, the one that followed
///   `pr.next - 1`; a rejection of anything else is stale. Otherwise the next probe follows the
///   hint (`matchHint`), or `rejected` if that is lower, but never an index at or below
///   `pr.match`; and since the follower answered, sending may resume (`pr.msgAppFlowPaused`).
///
/// In every case `pr.sentCommit` must not stay above `pr.next - 1`: a commit index not yet sent
/// with the entries it covers has not really been sent.
///
/// Check it: `swift run workbook check 6`. Stuck: `swift run workbook hint 6.3`.
func maybeDecrTo(_ pr: Progress, rejected: UInt64, matchHint: UInt64) -> Bool {
    todo()
}
