import ExerciseSupport
import Raft

/// Exercise 3.2: the accept half of the Ready/Advance handshake.
///
/// Write what `RawNode.acceptReady` does (Chapter 3, "The order" and what follows). `RawNode`
/// builds a Ready (`readyWithoutAccept`), then calls your function with it before handing it to
/// the application: from then on the work in `rd` counts as handed out, and `advance` will
/// receipt it. Nothing changes the node between the two calls.
///
/// Afterwards:
/// - the next Ready reports only what changed since `rd`: remember its soft state (when it has
///   one) and its hard state (when not empty) in `rn.prevSoftState` and `rn.prevHardState`;
/// - what `rd` carries is not handed out again: its read states leave `rn.raft.readStates`; the
///   messages raft collected (`raft.msgs`, and `raft.msgsAfterAppend`, the ones waiting for the
///   write) leave raft; the unstable entries and snapshot count as being written
///   (`raft.raftLog.acceptUnstable()`), and the committed entries as being applied
///   (`raft.raftLog.acceptApplying(_:size:allowUnstable:)`, with the last one's index, the
///   entries' encoded size `entsSize(rd.committedEntries)`, and `rn.applyUnstableEntries`; an error there is a bug in raft: stop
///   with `raft.logger.panic`);
/// - with synchronous storage writes only (not `rn.asyncStorageWrites`), `rn.stepsOnAdvance`
///   holds what `advance` will step, in this order: the messages in `msgsAfterAppend` that raft
///   addressed to itself (a leader's acknowledgement of its own entries, which must wait for its
///   own write), then `rn.newStorageAppendRespMsg(rd)` when `rn.needStorageAppendRespMsg(rd)`
///   (the entries and snapshot are written), then `rn.newStorageApplyRespMsg(rd.committedEntries)`
///   when there are committed entries (they are applied). If `stepsOnAdvance` is not empty on
///   entry, the last Ready was never advanced: `raft.logger.panic("two accepted Ready structs
///   without call to Advance")`.
///
/// Check it: `swift run workbook check 3`. Stuck: `swift run workbook hint 3.2`.
func acceptReady(_ rn: RawNode, _ rd: Ready) {
    todo()
}
