import Raft

/// Exercise 3.3, the reference: the library's own code (module-qualified: this module has its
/// own `handleReady`, this one).
func handleReady(_ rd: Ready, _ app: any ReadyApplication) throws {
    try Raft.handleReady(rd, app)
}
