import ExerciseSupport
import Raft

/// Exercise 7.2: a follower decides whether to take a leader's snapshot.
///
/// Write what `RaftStateMachine.restore` does (Chapter 7, "Installing a snapshot"). Raft calls
/// your function from `handleSnapshot` when `r` receives a `MsgSnap` carrying `s`. Return true
/// when the snapshot replaced the log and the configuration, false when it was not taken. Go
/// through these cases in this order:
///
/// 1. Not newer than what `r` has committed: nothing to do, false.
/// 2. A snapshot at index `UInt64.max`: no entry could ever follow it. Throw
///    `RaftError.invalidMessage("snapshot index I is out of range")`, changing nothing.
/// 3. `r` is not a follower: that should never happen (only a leader sends snapshots, and a
///    leader's term would have made `r` a follower). Log the WARNING
///    `ID attempted to restore snapshot as leader; should never happen`, step down as a follower
///    of no leader at the next term, and return false.
/// 4. `r` is in none of the snapshot's voters, learners or outgoing voters: taking it would
///    leave `r` without its own progress. Log the WARNING
///    `ID attempted to restore snapshot but it is not in the ConfState CS; should never happen`
///    (CS as `cs.protoText` prints it) and return false.
/// 5. The log already holds the snapshot's last entry (same index and term): keep the log, and
///    only move the commit index to the snapshot's index. Log at INFO
///    `ID [commit: C, lastindex: L, lastterm: T] fast-forwarded commit to snapshot [index: I, term: U]`
///    (before moving it) and return false.
/// 6. Otherwise take it: the log restarts from the snapshot, and the progress tracker and the
///    configuration are rebuilt from the snapshot's `ConfState` (a fresh tracker with the same
///    in-flight limits). Check the configuration before touching anything: one the changes
///    cannot rebuild throws `RaftError.invalidMessage("unable to restore config CS: ERROR")`, and
///    one that does not rebuild to exactly the stated membership (a node named twice, or as both
///    voter and learner) throws
///    `RaftError.invalidMessage("snapshot config CS is inconsistent; it restores as CS2")`, where
///    CS2 is the `protoText` of the rebuilt tracker's `confState()`. etcd would crash on those; we
///    refuse them, and the fuzzer relies on it. Then switch to the new configuration and log at
///    INFO `ID [commit: C, lastindex: L, lastterm: T] restored snapshot [index: I, term: U]`
///    (after restoring). If the switched configuration is not equivalent to the snapshot's,
///    that is raft's own bug: `r.logger.panic("ConfStates not equivalent after sorting: A vs B")`.
///
/// Ids are in hex (`hex(_:)`). A commit index that cannot move throws from `raftLog.commitTo`;
/// pass it on as `RaftError.invalidMessage(error.description)`.
///
/// Useful: `r.raftLog` (`committed`, `matchTerm(_:)`, `lastEntryID()`, `commitTo(_:)`,
/// `restore(_:)`), `r.state`, `r.term`, `r.id`, `r.becomeFollower(term:lead:)`, `PeerID.none`,
/// `s.metadata` (`index`, `term`, `confState`), `r.trk` (`maxInflight`, `maxInflightBytes`),
/// `ProgressTracker(maxInflight:maxBytes:)`, `Changer(tracker:lastIndex:).restore(_:)`,
/// `tracker.confState()`, `ConfState.isEquivalent(to:)`, `r.switchToConfig(_:_:)`,
/// `ConfState.protoText`, `r.logger`.
///
/// Check it: `swift run workbook check 7`. Stuck: `swift run workbook hint 7.2`.
func restore(_ r: RaftStateMachine, _ s: Snapshot) throws(RaftError) -> Bool {
    todo()
}
