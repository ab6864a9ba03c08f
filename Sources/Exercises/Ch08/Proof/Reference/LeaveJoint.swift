import Raft

/// Exercise 8.3, the reference: the library's own code.
func leaveJoint(_ changer: Changer) throws(ConfChangeError) -> Changer.Result {
    try changer.leaveJoint()
}
