import Raft

// Wrong: does not check that the snapshot's configuration includes this node, so a node the
// snapshot leaves out installs it and goes on without its own progress.
// Caught by: a snapshot whose configuration leaves this node out is refused
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
    let snapID = EntryID(term: s.metadata.term, index: s.metadata.index)
    if r.raftLog.matchTerm(snapID) {
        let last = r.raftLog.lastEntryID()
        r.logger.info("\(hex(r.id)) [commit: \(r.raftLog.committed), lastindex: \(last.index), lastterm: \(last.term)] "
            + "fast-forwarded commit to snapshot [index: \(snapID.index), term: \(snapID.term)]")
        do { try r.raftLog.commitTo(s.metadata.index) } catch { throw .invalidMessage(error.description) }
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
        + "restored snapshot [index: \(snapID.index), term: \(snapID.term)]")
    return true
}
