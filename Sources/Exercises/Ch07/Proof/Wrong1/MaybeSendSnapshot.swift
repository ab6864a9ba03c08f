import Raft

// Wrong: sends the snapshot to any follower, even one not heard from recently (which may be
// down: the leader would ship a large snapshot into the void and pause the follower for it).
// Caught by: a follower not heard from recently gets no snapshot
func maybeSendSnapshot(_ r: RaftStateMachine, _ to: UInt64, _ pr: Progress) -> Bool {
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
    pr.becomeSnapshot(sindex)
    r.logger.debug("\(hex(r.id)) paused sending replication messages to \(hex(to)) [\(pr)]")
    r.send(Message(type: .msgSnap, to: to, snapshot: snapshot))
    return true
}
