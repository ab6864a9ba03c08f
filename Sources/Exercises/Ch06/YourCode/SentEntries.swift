import ExerciseSupport
import Raft

/// Exercise 6.2: flow control after an append is sent.
///
/// Write what `Progress.sentEntries` does (Chapter 6, "Probe, replicate, snapshot" and "The
/// in-flight window"). The leader calls it right after it sent follower `pr` an append carrying
/// `entries` entries (`bytes` bytes of payload) that start at `pr.next`; the append may be empty.
///
/// - `.replicate`: the leader streams without waiting: `pr.next` moves past the entries sent, and
///   the append goes into the in-flight window (`pr.inflights`), recorded by its last index and
///   its bytes. Once the window is full, pause (`pr.msgAppFlowPaused`) until acknowledgements free
///   it; while it is not full, do not pause.
/// - `.probe`: one append at a time: after an append that carries entries, pause until the
///   follower answers. An empty append does not pause.
/// - `.snapshot`: raft never sends appends in this state; you may ignore it.
///
/// Useful: `pr.state`, `pr.next`, `pr.inflights.add(_:bytes:)`, `pr.inflights.full`,
/// `pr.msgAppFlowPaused`. Never add to a full window (it stops the program); raft does not send
/// entries to a replicating follower whose window is full.
///
/// Check it: `swift run workbook check 6`. Stuck: `swift run workbook hint 6.2`.
func sentEntries(_ pr: Progress, _ entries: Int, _ bytes: UInt64) {
    todo()
}
