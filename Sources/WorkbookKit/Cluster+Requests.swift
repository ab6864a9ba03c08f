import Raft

// What the scenario asks of the nodes: time passing, and the requests of clients and operators.

extension Cluster {
    /// Ticks node `id`'s logical clock `times` times.
    public func tick(_ id: UInt64, times: Int = 1) throws {
        let s = try server(id)
        for _ in 0..<times { s.rawNode.tick() }
    }

    /// Lets `ticks` ticks of time pass on every node, handling everything each tick causes before
    /// the next: the way a real application's timer and loops interleave.
    public func elapse(ticks: Int, holding held: Hold = .nothing) throws {
        for _ in 0..<ticks {
            for id in ids { try tick(id) }
            try stabilize(holding: held)
        }
    }

    /// Lets time pass, a tick at a time as in `elapse(ticks:)`, until `condition` holds. Returns
    /// how many ticks it took; fails the scenario after `limit` ticks.
    @discardableResult
    public func elapse(until condition: () -> Bool, limit: Int = 100, holding held: Hold = .nothing) throws -> Int {
        for ticks in 0..<limit {
            if condition() { return ticks }
            try elapse(ticks: 1, holding: held)
        }
        if condition() { return limit }
        throw WorkbookError.unexpected("still waiting after \(limit) ticks")
    }

    /// Elects `id` and commits `commands` through it, leaving the routine traffic out of the
    /// narration (role changes still show): the starting point most scenarios need.
    public func establish(leader id: UInt64, committing commands: [String] = []) throws {
        try trace.quietly {
            try campaign(id)
            try stabilize()
            for command in commands {
                try propose(id, command)
                try stabilize()
            }
        }
        try expectLeader(id)
    }

    /// Node `id` starts an election now (with a pre-vote first when PreVote is on).
    public func campaign(_ id: UInt64) throws {
        trace.say("node \(id) campaigns")
        try server(id).rawNode.campaign()
    }

    /// A client proposes `command` (`key=value`) to node `id`. Returns whether raft accepted it for
    /// replication; a refused proposal is narrated, and it is the client's job to retry.
    @discardableResult
    public func propose(_ id: UInt64, _ command: String) throws -> Bool {
        do {
            try server(id).rawNode.propose(Array(command.utf8))
            trace.say("client -> node \(id): propose \(command)")
            return true
        } catch let error as RaftError {
            trace.say("client -> node \(id): propose \(command) -- refused: \(error)")
            return false
        }
    }

    /// Proposes a membership change through node `id`.
    public func proposeConfChange(_ id: UInt64, _ cc: any ConfChangeI) throws {
        trace.say("node \(id) proposes a conf change: \(cc.asV2().changes.map(Server.changeText).joined(separator: " "))")
        try server(id).rawNode.proposeConfChange(cc)
    }

    /// A client asks node `id` for a linearizable read of `key`. Returns the request's context,
    /// `key:N`, which comes back in the read state that answers it.
    @discardableResult
    public func read(_ id: UInt64, key: String) throws -> String {
        readsRequested += 1
        let context = "\(key):\(readsRequested)"
        trace.say("client -> node \(id): read \(key) (ReadIndex, context \"\(context)\")")
        try server(id).rawNode.readIndex(Array(context.utf8))
        return context
    }

    /// Asks leader `leader` to hand leadership to `transferee`.
    public func transferLeadership(from leader: UInt64, to transferee: UInt64) throws {
        trace.say("node \(leader) is asked to transfer leadership to node \(transferee)")
        try server(leader).rawNode.transferLeader(transferee)
    }

    /// Node `id`'s application snapshots its state at its applied index and compacts its log up to
    /// there: the entries before become unavailable, the snapshot stands in for them.
    public func compact(_ id: UInt64) throws {
        let s = try server(id)
        let snapshot = try s.storage.createSnapshot(s.applied, confState: s.confState, data: s.store.snapshotData)
        try s.storage.compact(s.applied)
        trace.say("node \(id)'s application snapshots its state at index \(snapshot.metadata.index) "
            + "(term \(snapshot.metadata.term)) and compacts its log up to there")
    }
}
