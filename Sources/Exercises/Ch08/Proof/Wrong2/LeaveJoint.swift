import Raft

// Wrong: `autoLeave` is left as it was; a configuration that is no longer joint may not leave
// itself, so leaving a joint configuration entered with autoLeave fails its consistency check.
// Caught by: leaving clears autoLeave
func leaveJoint(_ changer: Changer) throws(ConfChangeError) -> Changer.Outcome {
    var (cfg, trk) = try changer.checkAndCopy()
    if !changer.isJoint(cfg) { throw .leaveNonJoint }
    for id in cfg.learnersNext.sorted() {
        cfg.learners.insert(id)
        trk[id]?.isLearner = true
    }
    cfg.learnersNext = []
    for id in cfg.voters.outgoing where !cfg.voters.incoming.contains(id) && !cfg.learners.contains(id) {
        trk[id] = nil
    }
    cfg.voters.outgoing = []
    return try changer.checked(cfg, trk)
}
