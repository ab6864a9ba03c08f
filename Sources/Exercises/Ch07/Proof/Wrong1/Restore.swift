import Raft

// Wrong: installs any snapshot newer than the commit index, even one whose last entry the log
// already holds: the entries after it are thrown away, though the follower may have
// acknowledged them to the leader, which counted them towards commits.
// Caught by: a snapshot whose last entry the log holds only moves the commit index
func restore(_ r: RaftStateMachine, _ s: Snapshot) throws(RaftError) -> Bool {
    if s.metadata.index <= r.raftLog.committed { return false }
    if s.metadata.index == .max {
        throw .invalidMessage("snapshot index \(s.metadata.index) is out of range")
    }
    if r.state != .follower {
        r.logger.warning("\(hex(r.id)) attempted to restore snapshot as leader; should never happen")
        r.becomeFollower(term: r.term + 1, lead: PeerID.none)
        return false
    }
    let cs = s.metadata.confState
    guard cs.voters.contains(r.id) || cs.learners.contains(r.id) || cs.votersOutgoing.contains(r.id) else {
        r.logger.warning("\(hex(r.id)) attempted to restore snapshot but it is not in the ConfState \(cs.protoText); should never happen")
        return false
    }
    let fresh = ProgressTracker(maxInflight: r.trk.maxInflight, maxBytes: r.trk.maxInflightBytes)
    let cfg: ProgressTracker.Config, progress: ProgressMap
    do {
        (cfg, progress) = try Changer(tracker: fresh, lastIndex: s.metadata.index).restore(cs)
    } catch {
        throw .invalidMessage("unable to restore config \(cs.protoText): \(error)")
    }
    var candidate = fresh
    candidate.config = cfg
    guard candidate.confState().isEquivalent(to: cs) else {
        throw .invalidMessage("snapshot config \(cs.protoText) is inconsistent; it restores as "
            + "\(candidate.confState().protoText)")
    }
    r.raftLog.restore(s)
    r.trk = fresh
    let restored = r.switchToConfig(cfg, progress)
    if !restored.isEquivalent(to: cs) {
        r.logger.panic("ConfStates not equivalent after sorting: \(restored) vs \(cs)")
    }
    let last = r.raftLog.lastEntryID()
    r.logger.info("\(hex(r.id)) [commit: \(r.raftLog.committed), lastindex: \(last.index), lastterm: \(last.term)] "
        + "restored snapshot [index: \(s.metadata.index), term: \(s.metadata.term)]")
    return true
}
