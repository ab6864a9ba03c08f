import Raft

// Wrong: pauses the follower's appends (`msgAppFlowPaused`) instead of putting its progress in
// StateSnapshot: the leader forgets which snapshot it waits for, keeps probing from an index it
// no longer has, and sends the snapshot again after every heartbeat response.
// Caught by: a snapshot puts the follower's progress in StateSnapshot, pausing its appends
func maybeSendSnapshot(_ r: RaftStateMachine, _ to: UInt64, _ pr: Progress) -> Bool {
    guard pr.recentActive else {
        r.logger.debug("ignore sending snapshot to \(hex(to)) since it is not recently active")
        return false
    }
    let snapshot: Snapshot
    do { snapshot = try r.raftLog.snapshot() } catch StorageError.snapshotTemporarilyUnavailable {
        r.logger.debug("\(hex(r.id)) failed to send snapshot to \(hex(to)) because snapshot is temporarily unavailable")
        return false
    } catch {
        r.logger.panic("unexpected error when getting the snapshot (\(error))")
    }
    if snapshot.isEmpty { r.logger.panic("need non-empty snapshot") }
    let sindex = snapshot.metadata.index, sterm = snapshot.metadata.term
    r.logger.debug("\(hex(r.id)) [firstindex: \(r.raftLog.firstIndex()), commit: \(r.raftLog.committed)] sent snapshot"
        + "[index: \(sindex), term: \(sterm)] to \(hex(to)) [\(pr)]")
    pr.msgAppFlowPaused = true
    r.logger.debug("\(hex(r.id)) paused sending replication messages to \(hex(to)) [\(pr)]")
    r.send(Message(type: .msgSnap, to: to, snapshot: snapshot))
    return true
}
