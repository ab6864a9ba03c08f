import ExerciseSupport
import Raft

/// Exercise 8.3: leave a joint configuration.
///
/// Write what `Changer.leaveJoint` does (Chapter 8, "Joint consensus"). Raft calls your function
/// when a node applies the (empty) conf change that ends a membership change: the configuration
/// goes from C_old,new (`voters.incoming && voters.outgoing`) to C_new (`voters.incoming` alone).
///
/// `changer.tracker` holds the current configuration (`tracker.config`) and a progress per
/// member (`tracker.progress`). Return the new configuration and progress map; do not change the
/// tracker or its `Progress` objects (they are live: raft switches to your result only when you
/// return one). Leaving a configuration that is not joint throws
/// `ConfChangeError.leaveNonJoint`. When leaving:
/// - the nodes staged in `learnersNext` (voters being demoted, which had to keep voting in the
///   outgoing half until now) become learners, their progress marked as a learner's;
/// - a node that was only an outgoing voter, and is not a learner now, is no longer a member:
///   its progress goes;
/// - the outgoing half is emptied, `learnersNext` too, and `autoLeave` is false again.
/// Everything else (the incoming voters, the learners, every remaining progress) is kept.
///
/// Useful: `changer.checkAndCopy()` (the configuration and independent copies of the
/// progresses, after checking they are consistent: use it to start), `changer.isJoint(_:)`,
/// `changer.checked(_:_:)` (the result if it is consistent, else the error: use it to finish).
///
/// Check it: `swift run workbook check 8`. Stuck: `swift run workbook hint 8.3`.
func leaveJoint(_ changer: Changer) throws(ConfChangeError) -> Changer.Outcome {
    todo()
}
