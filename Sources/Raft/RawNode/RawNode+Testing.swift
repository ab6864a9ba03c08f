// Hooks for the harnesses in RaftTesting (same package, not public API).

extension RawNode {
    /// Overrides the randomized election timeout until the node next changes role, so a
    /// transcript can make a node time out at a chosen tick.
    package func setRandomizedElectionTimeout(_ timeout: Int) {
        raft.randomizedElectionTimeout = timeout
    }

    /// The leader's progress map as etcd prints it (`id: progress` lines in id order); empty on
    /// other nodes, whose status carries no progress.
    package func progressMapDescription() -> String {
        guard raft.state == .leader else { return "" }
        var out = ""
        raft.trk.visit { id, pr in out += "\(id): \(pr)\n" }
        return out
    }
}
