import Raft

// The application's side of the Ready contract, in the order raft requires: persist, send,
// apply, advance. Chapter 3 walks through it.

extension Server {
    /// Handles one Ready completely. `send` puts messages on the network; with `explain`, each
    /// step is narrated as it happens.
    func handle(_ rd: Ready, explain: Bool, send: ([Message]) -> Void) throws {
        // Under asynchronous storage writes, steps 1 and 3 travel as messages to the local append
        // and apply threads (queued in step 2, run by `runStorageThreads`), and step 4 is not used.
        let inline = !asyncStorageWrites
        if inline, let yours = rawNode.raft.parts.handleReady {
            // The learner's order of the four duties (exercise 3.3), each narrated as it happens.
            try withoutActuallyEscaping(send) { send in
                let app = ServerReadyApplication(server: self, explain: explain, send: send)
                try yours(rd, app)
                if let failure = app.failure.first { throw failure }
            }
            return
        }

        // 1. Persist: the hard state, entries and snapshot must be durable before any message that
        //    promises them (a vote, an append acknowledgement) leaves this node.
        if explain && inline {
            let what = [
                rd.hardState.isEmpty ? nil : "HardState \(rd.hardState)",
                rd.entries.isEmpty ? nil : count(rd.entries.count, "entry", "entries"),
                rd.snapshot.isEmpty ? nil : "snapshot \(rd.snapshot.metadata.index)",
            ].compactMap { $0 }
            trace.say("    1. persist: " + (what.isEmpty ? "nothing" : what.joined(separator: ", "))
                + (rd.mustSync ? " (MustSync: write durably before going on)" : " (no sync needed)"))
        }
        if inline { try persist(hardState: rd.hardState, entries: rd.entries, snapshot: rd.snapshot) }

        // 2. Send. The messages for the local storage threads are queued, not sent.
        let local = rd.messages.filter { PeerID.isLocalTarget($0.to) }
        let remote = rd.messages.filter { !PeerID.isLocalTarget($0.to) }
        if explain { trace.say("    2. send: " + count(remote.count, "message", "messages")) }
        send(remote)
        appendWork += local.filter { $0.type == .msgStorageAppend }
        applyWork += local.filter { $0.type == .msgStorageApply }

        // 3. Apply the committed entries, then serve the reads they make possible.
        if inline {
            if explain { trace.say("    3. apply: " + count(rd.committedEntries.count, "committed entry", "committed entries")) }
            try apply(rd.committedEntries)
        }
        receiveReads(rd.readStates)

        // 4. Advance: tells raft this Ready is done, so it can mark the entries stable and
        //    applied and prepare the next one.
        if inline {
            if explain { trace.say("    4. advance") }
            rawNode.advance(rd)
        }
    }

    /// A Ready's handling in one line, for the sequence diagram: `persist 1 entry (MustSync), send 2,
    /// apply 0, advance`. Under asynchronous storage writes, what goes to the local threads.
    static func readySummary(_ rd: Ready, asyncStorageWrites: Bool) -> String {
        let remote = rd.messages.filter { !PeerID.isLocalTarget($0.to) }.count
        if asyncStorageWrites {
            let local = rd.messages.filter { PeerID.isLocalTarget($0.to) }.map {
                "\($0.type) to the \($0.type == .msgStorageAppend ? "append" : "apply") thread"
            }
            return "Ready: " + ((remote == 0 ? [] : ["send \(remote)"]) + local).joined(separator: ", ") + " (no advance)"
        }
        let what = [
            rd.hardState.isEmpty ? nil : "HardState",
            rd.entries.isEmpty ? nil : count(rd.entries.count, "entry", "entries"),
            rd.snapshot.isEmpty ? nil : "snapshot",
        ].compactMap { $0 }
        let persist = what.isEmpty ? "persist nothing" : "persist " + what.joined(separator: " + ") + (rd.mustSync ? " (MustSync)" : " (no sync)")
        return "Ready: \(persist), send \(remote), apply \(rd.committedEntries.count), advance"
    }

    /// Writes what a Ready (or a `msgStorageAppend`) asks to persist: a snapshot first (it
    /// replaces the log), then the entries that follow it, then the hard state.
    func persist(hardState: HardState, entries: [Entry], snapshot: Snapshot) throws {
        if !snapshot.isEmpty {
            try storage.applySnapshot(snapshot)
            // The snapshot stands for every entry up to its index: the state machine starts over
            // from it.
            store = KeyValueStore(snapshotData: snapshot.data)
            confState = snapshot.metadata.confState
            applied = snapshot.metadata.index
            trace.say("  node \(id) installs snapshot \(snapshot.metadata.index): \(store)")
        }
        try storage.append(entries)
        if !hardState.isEmpty { storage.setHardState(hardState) }
    }

    /// Applies committed entries in order: commands to the store, conf changes to raft.
    func apply(_ entries: [Entry]) throws {
        for e in entries {
            switch e.type {
            case .entryNormal:
                store.apply(e.data)
                trace.say("  node \(id) applies \(e)")
            case .entryConfChange:
                confState = try rawNode.applyConfChange(ConfChange(unmarshaling: e.data))
                trace.say("  node \(id) applies \(e): now \(Server.membership(confState))")
            case .entryConfChangeV2:
                confState = try rawNode.applyConfChange(ConfChangeV2(unmarshaling: e.data))
                trace.say("  node \(id) applies \(e): now \(Server.membership(confState))")
            }
            applied = e.index
        }
    }

    /// Takes the read states of a Ready and serves every read whose index has been applied; the
    /// others wait for later entries.
    func receiveReads(_ readStates: [ReadState]) {
        for rs in readStates where rs.index > applied {
            trace.say("  node \(id) holds read \"\(Server.text(rs.requestCtx))\" until it has applied index \(rs.index) (applied: \(applied))")
        }
        pendingReads += readStates
        let due = pendingReads.filter { $0.index <= applied }
        pendingReads.removeAll { $0.index <= applied }
        for rs in due {
            let context = Server.text(rs.requestCtx)
            // A read's context is `key:number`; the answer is the key's value now.
            let key = String(context.prefix { $0 != ":" })
            let answer = "\(key)=\(store[key] ?? "(none)")"
            servedReads.append((context, answer))
            trace.say("  node \(id) serves read \"\(context)\" at read index \(rs.index) (applied: \(applied)): \(answer)")
        }
    }

    /// Runs the work queued for the local append and apply threads (asynchronous storage writes
    /// only), then hands back their responses: to raft when addressed to this node, to `send`
    /// otherwise. Returns whether there was work.
    func runStorageThreads(send: ([Message]) -> Void) throws -> Bool {
        guard !appendWork.isEmpty || !applyWork.isEmpty else { return false }
        let appends = appendWork, applies = applyWork
        appendWork = []
        applyWork = []
        for m in appends {
            trace.say("  node \(id)'s append thread writes " + count(m.entries.count, "entry", "entries")
                + (m.term == 0 ? "" : " and HardState Term:\(m.term) Vote:\(m.vote) Commit:\(m.commit)"))
            try persist(hardState: HardState(term: m.term, vote: m.vote, commit: m.commit), entries: m.entries,
                        snapshot: m.snapshot ?? Snapshot())
            try deliverResponses(m.responses, send: send)
        }
        for m in applies {
            trace.say("  node \(id)'s apply thread applies " + count(m.entries.count, "entry", "entries"))
            try apply(m.entries)
            receiveReads([])
            try deliverResponses(m.responses, send: send)
        }
        return true
    }

    private func deliverResponses(_ responses: [Message], send: ([Message]) -> Void) throws {
        for r in responses {
            if r.to == id {
                trace.say("    back to raft: \(r)")
                try rawNode.step(r)
            } else {
                send([r])
            }
        }
    }

    /// `voters (1,2,3)`, with the outgoing voters and learners when there are any.
    static func membership(_ cs: ConfState) -> String {
        func list(_ ids: [UInt64]) -> String { "(" + ids.sorted().map(String.init).joined(separator: ",") + ")" }
        var out = "voters \(list(cs.voters))"
        if !cs.votersOutgoing.isEmpty { out += "&&\(list(cs.votersOutgoing))" }
        if !cs.learners.isEmpty { out += " learners \(list(cs.learners))" }
        if !cs.learnersNext.isEmpty { out += " learnersNext \(list(cs.learnersNext))" }
        return out
    }

    static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }
}

/// `1 entry`, `2 entries`.
func count(_ n: Int, _ singular: String, _ plural: String) -> String {
    "\(n) \(n == 1 ? singular : plural)"
}

/// A scenario server's side of the Ready contract as `ReadyApplication`, for the learner's
/// `handleReady` (exercise 3.3): the same steps as `Server.handle`, narrated in the order the
/// learner's code takes them.
final class ServerReadyApplication: ReadyApplication {
    let server: Server
    let explain: Bool
    let sendMessages: ([Message]) -> Void
    /// An error of a step that cannot throw through the protocol (applying), rethrown afterwards.
    var failure: [any Error] = []

    init(server: Server, explain: Bool, send: @escaping ([Message]) -> Void) {
        self.server = server
        self.explain = explain
        sendMessages = send
    }

    func persist(hardState: HardState, entries: [Entry], snapshot: Snapshot) throws {
        if explain {
            let what = [
                hardState.isEmpty ? nil : "HardState \(hardState)",
                entries.isEmpty ? nil : count(entries.count, "entry", "entries"),
                snapshot.isEmpty ? nil : "snapshot \(snapshot.metadata.index)",
            ].compactMap { $0 }
            server.trace.say("    persist: " + (what.isEmpty ? "nothing" : what.joined(separator: ", ")))
        }
        try server.persist(hardState: hardState, entries: entries, snapshot: snapshot)
    }

    func send(_ messages: [Message]) {
        if explain { server.trace.say("    send: " + count(messages.count, "message", "messages")) }
        sendMessages(messages)
    }

    func apply(_ entries: [Entry]) {
        if explain { server.trace.say("    apply: " + count(entries.count, "committed entry", "committed entries")) }
        do { try server.apply(entries) } catch { failure.append(error) }
    }

    func serveReads(_ readStates: [ReadState]) {
        server.receiveReads(readStates)
    }

    func advance(_ rd: Ready) {
        if explain { server.trace.say("    advance") }
        server.rawNode.advance(rd)
    }
}
