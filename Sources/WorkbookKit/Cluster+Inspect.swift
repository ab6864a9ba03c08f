import Raft

// Looking at the cluster: statuses, the leader's view of its followers, a node's log.

extension Cluster {
    /// The node that believes it leads with the highest term, if any.
    public var leader: UInt64? {
        ids.filter { servers[$0]?.rawNode.basicStatus().raftState == .leader }
            .max { (servers[$0]?.rawNode.basicStatus().term ?? 0) < (servers[$1]?.rawNode.basicStatus().term ?? 0) }
    }

    /// Fails the scenario unless node `id` is the leader.
    public func expectLeader(_ id: UInt64) throws {
        let status = try server(id).rawNode.basicStatus()
        try expect(status.raftState == .leader, "node \(id) should lead, but is \(Server.roleName(status.raftState))")
    }

    /// Narrates every node's status line.
    public func showStatus() {
        for id in ids { trace.say("  " + (servers[id]?.statusLine ?? "")) }
    }

    /// Narrates what leader `id` knows of each member's replication (`Status.progress`).
    public func showProgress(_ id: UInt64) throws {
        let progress = try server(id).rawNode.status().progress
        for member in progress.keys.sorted() {
            guard let p = progress[member] else { continue }
            var line = "  node \(id)'s progress of node \(member): \(p.state) match=\(p.match) next=\(p.next)"
            if p.isLearner { line += " learner" }
            if p.inflight > 0 { line += " inflight=\(p.inflight)" }
            if p.isPaused { line += " paused" }
            if p.pendingSnapshot > 0 { line += " pendingSnapshot=\(p.pendingSnapshot)" }
            trace.say(line)
        }
    }

    /// The indexes of chapter 4 for node `id`, left to right as they sit in the log:
    /// `snapshot ≤ applied ≤ committed ≤ last` and `first = snapshot + 1`, `stabled ≤ last`.
    ///
    /// "Stabled" is the last index in storage; `unstable` lists the entries raft handed out (in a
    /// Ready) and the application has not written yet, which is when `last` exceeds it.
    public func layout(_ id: UInt64, unstable: [Entry] = []) throws -> String {
        let s = try server(id)
        let status = s.rawNode.basicStatus()
        let stabled = s.storage.lastIndex()
        let last = max(stabled, unstable.last?.index ?? 0)
        return "snapshot=\(s.storage.snapshot().metadata.index) first=\(s.storage.firstIndex()) "
            + "applied=\(status.applied) committed=\(status.commit) stabled=\(stabled) last=\(last)"
    }

    /// Node `id`'s stored log as `term/index` pairs: `[1/2 1/3 2/4]`.
    public func storedLog(_ id: UInt64) throws -> String {
        let storage = try server(id).storage
        let first = storage.firstIndex(), last = storage.lastIndex()
        guard first <= last else { return "[]" }
        let entries = try storage.entries(first, last + 1, maxSize: noLimit)
        return "[" + entries.map { "\($0.term)/\($0.index)" }.joined(separator: " ") + "]"
    }
}

extension Cluster {
    /// Node `id`'s role now (follower when the node is unknown, so conditions read simply).
    public func role(_ id: UInt64) -> StateType {
        servers[id]?.rawNode.basicStatus().raftState ?? .follower
    }

    /// Node `id`'s term now (0 when the node is unknown).
    public func term(_ id: UInt64) -> UInt64 {
        servers[id]?.rawNode.basicStatus().term ?? 0
    }
}
