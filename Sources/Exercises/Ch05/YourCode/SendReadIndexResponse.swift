import ExerciseSupport
import Raft

/// Exercise 5.3: serve a read at the commit index, safely or under a lease.
///
/// Write `RaftStateMachine.sendReadIndexResponse` (Chapter 5, "The ReadIndex protocol", steps 2
/// and 3, and "Lease-based reads"). The leader has committed an entry of its own term, so its
/// commit index `r.raftLog.committed` is the read index of request `m` (from the leader's own
/// application, or forwarded by a follower; the data of its single entry is its context).
///
/// - `r.readOnly.option == .safe`: the read may only be answered once a quorum has confirmed that
///   this node still leads. Queue the request in `r.readOnly` at the read index, with the leader's
///   own acknowledgement already counted, and send every follower a heartbeat carrying the
///   request's context. Raft answers the request when a quorum's heartbeat responses echo that
///   context (exercise 5.1).
/// - `.leaseBased`: no round trip; answer at once at the read index: a `ReadState` for a local
///   request, a `msgReadIndexResp` to the node that forwarded it.
///
/// Useful: `r.readOnly.addRequest(_:_:)`, `r.readOnly.recvAck(_:_:)`, `r.id`,
/// `r.bcastHeartbeat(context:)`, `r.responseToReadIndexReq(_:readIndex:)`, `r.send(_:)`.
///
/// Check it: `swift run workbook check 5`. Stuck: `swift run workbook hint 5.3`.
func sendReadIndexResponse(_ r: RaftStateMachine, _ m: Message) {
    todo()
}
