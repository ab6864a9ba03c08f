import ExerciseSupport
import Raft

/// Exercise 5.1: a quorum's acknowledgement confirms read requests.
///
/// Write what `ReadOnly.advance` does (Chapter 5, "The ReadIndex protocol", step 2). A leader in
/// safe mode calls it once a quorum of voters has acknowledged a heartbeat that carried the
/// context `m.context`: that proves it still led when the request with this context arrived,
/// and when every request queued before it arrived too. Raft then answers each confirmed request
/// at the commit index recorded for it.
///
/// `ro.readIndexQueue` holds the contexts of the pending requests, oldest first;
/// `ro.pendingReadIndex` maps each context to its `ReadIndexStatus` (the request `req`, the commit
/// index `index` recorded when it arrived, the `acks` so far). Take the confirmed requests out of
/// both and return their statuses, oldest first. Requests queued after the acknowledged one stay
/// pending: nothing has confirmed them yet. A context that is not queued (an acknowledgement that
/// came late, after its request was answered) confirms nothing: return `[]` and change nothing.
///
/// Check it: `swift run workbook check 5`. Stuck: `swift run workbook hint 5.1`.
func readOnlyAdvance(_ ro: inout ReadOnly, _ m: Message) -> [ReadIndexStatus] {
    todo()
}
