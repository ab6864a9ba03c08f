import Raft

// Moving the cluster along: taking Readies, handling them, delivering messages.

extension Cluster {
    /// Takes node `id`'s Ready, if it has one, without handling it yet: to look at the node
    /// between the two (chapter 4 shows the unstable entries this way).
    public func takeReady(_ id: UInt64) throws -> Ready? {
        let s = try server(id)
        return s.rawNode.hasReady() ? s.rawNode.ready() : nil
    }

    /// Handles a Ready of node `id` the application's way (`Server.handle`), narrated at the
    /// cluster's `detail`.
    public func handle(_ rd: Ready, on id: UInt64) throws {
        let s = try server(id)
        if detail != .messages {
            trace.say("node \(id) handles a Ready:")
            trace.say(indent(rd.describe(), by: "    "))
        }
        if let soft = rd.softState {
            let term = rd.hardState.isEmpty ? s.rawNode.basicStatus().term : rd.hardState.term
            let lead = soft.lead == PeerID.none || soft.lead == id ? "" : " (leader: \(soft.lead))"
            trace.mark(id, "\(Server.roleName(soft.raftState)) at term \(term)\(lead)")
        }
        if detail != .messages { trace.ready(id, Server.readySummary(rd, asyncStorageWrites: s.asyncStorageWrites)) }
        try s.handle(rd, explain: detail == .steps) { network.send($0) }
    }

    /// Takes and handles node `id`'s Ready. Returns whether there was one.
    @discardableResult
    public func processReady(_ id: UInt64) throws -> Bool {
        guard let rd = try takeReady(id) else { return false }
        try handle(rd, on: id)
        return true
    }

    /// Delivers the messages in flight, oldest first (except those `held`), each stepped into its
    /// recipient; messages across a cut are lost. Returns how many were taken.
    @discardableResult
    public func deliver(holding held: Hold = .nothing) throws -> Int {
        let batch = network.take(holding: held)
        for m in batch {
            let lost = network.isCut(m) || servers[m.to] == nil
            if !lost || showsLostMessages || trace.verbose {
                trace.message(m, lost: lost, narrate: lost || detail == .messages)
            }
            if !lost {
                do { try server(m.to).rawNode.step(m) } catch let error as RaftError {
                    trace.say("    node \(m.to) refuses it: \(error)")
                }
            }
            if m.type == .msgSnap { reportSnapshot(m, lost: lost) }
        }
        return batch.count
    }

    /// The leader's application must tell raft how sending a snapshot went, or the follower
    /// would stay paused in snapshot state after a failure.
    private func reportSnapshot(_ m: Message, lost: Bool) {
        guard let sender = servers[m.from] else { return }
        sender.rawNode.reportSnapshot(m.to, status: lost ? .failure : .finish)
        trace.say("  node \(m.from) reports the snapshot to node \(m.to) as \(lost ? "failed" : "finished")")
    }

    /// Handles Readies, runs storage threads and delivers messages until nothing is left to do.
    /// Messages that `held` matches wait in flight.
    public func stabilize(holding held: Hold = .nothing) throws {
        for _ in 0..<10_000 {
            var busy = false
            for id in ids {
                if try processReady(id) { busy = true }
            }
            for id in ids {
                if try server(id).runStorageThreads(send: { network.send($0) }) { busy = true }
            }
            if try deliver(holding: held) > 0 { busy = true }
            if !busy { return }
        }
        throw WorkbookError.stuck("the cluster never settled")
    }
}

/// `text` with every line prefixed by `prefix`, without a trailing newline.
func indent(_ text: String, by prefix: String) -> String {
    text.split(separator: "\n", omittingEmptySubsequences: false)
        .map { $0.isEmpty ? "" : prefix + $0 }
        .joined(separator: "\n")
        .trimmingSuffixNewlines()
}

extension String {
    func trimmingSuffixNewlines() -> String {
        var s = self
        while s.hasSuffix("\n") { s.removeLast() }
        return s
    }
}
