import ExerciseSupport
import Raft

/// Exercise 1.2: proposals wait for a leader.
///
/// Write what `NodeLoop.observeLeader` does (Chapter 1, "etcd's run loop beside our actor").
/// The `Node` actor calls your function after everything that may have changed raft (a tick, a
/// message, a proposal, an advance...), with the loop's memory `loop` and the state machine `r`.
///
/// `loop.observedLead` is the leader seen the last time; `r.lead` is the leader now
/// (`PeerID.none` when none is known). When they are the same, nothing happens: return false and
/// leave `loop` alone (a node removed from the configuration keeps refusing proposals until the
/// leader changes). When they differ, remember the new one, and:
/// - when a leader is known now, let proposals go (`loop.acceptsProposals`) and return true, so
///   that `Node` wakes the proposals waiting for one. Log at INFO, as etcd does,
///   `raft.node: ID elected leader LEAD at term T` when no leader was known before, or
///   `raft.node: ID changed leader from OLD to LEAD at term T` (ids in hexadecimal);
/// - when none is known now, hold proposals back and return false; log at INFO
///   `raft.node: ID lost leader OLD at term T`.
///
/// Useful: `r.lead`, `r.hasLeader`, `r.id`, `r.term`, `r.logger`, `hex(_:)`.
///
/// Check it: `swift run workbook check 1`. Stuck: `swift run workbook hint 1.2`.
func observeLeader(_ loop: inout NodeLoop, _ r: RaftStateMachine) -> Bool {
    todo()
}
