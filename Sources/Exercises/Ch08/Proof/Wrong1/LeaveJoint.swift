import Raft

// Wrong: the staged demotions (learnersNext) are forgotten instead of becoming learners, so a
// demoted voter is dropped from the cluster altogether with the other outgoing-only voters.
// Caught by: staged demotions become learners, keeping their progress
func leaveJoint(_ changer: Changer) throws(ConfChangeError) -> Changer.Outcome {
    var (cfg, trk) = try changer.checkAndCopy()
    if !changer.isJoint(cfg) { throw .leaveNonJoint }
    cfg.learnersNext = []
    for id in cfg.voters.outgoing where !cfg.voters.incoming.contains(id) && !cfg.learners.contains(id) {
        trk[id] = nil
    }
    cfg.voters.outgoing = []
    cfg.autoLeave = false
    return try changer.checked(cfg, trk)
}
