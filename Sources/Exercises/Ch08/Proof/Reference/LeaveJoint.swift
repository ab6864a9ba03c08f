import Raft

/// Exercise 8.3, the reference: the library's own code.
func leaveJoint(_ changer: Changer) throws(ConfChangeError) -> Changer.Outcome {
    try changer.leaveJoint()
}
