import Raft

// The application's side: handling Readies, running the storage threads, delivering messages.

extension InteractionEnvironment {
    /// Handles node `idx`'s Ready as an application would: persist, apply, queue the messages,
    /// advance (or, under async storage writes, queue the storage work for its threads).
    ///
    /// etcd: `InteractionEnv.ProcessReady`.
    func processReady(_ idx: Int) throws {
        let n = nodes[idx]
        let rd = n.rawNode.ready()
        output.write(rd.describe(Self.entryFormatter))
        if !n.config.asyncStorageWrites {
            try processAppend(n, hardState: rd.hardState, entries: rd.entries, snapshot: rd.snapshot)
            try processApply(n, rd.committedEntries)
        }
        for m in rd.messages {
            if PeerID.isLocalTarget(m.to) {
                guard n.config.asyncStorageWrites else { throw InteractionError("unexpected local msg target") }
                switch m.type {
                case .msgStorageAppend: n.appendWork.append(m)
                case .msgStorageApply: n.applyWork.append(m)
                default: throw InteractionError("unexpected message type \(m.type)")
                }
            } else {
                messages.append(m)
            }
        }
        if !n.config.asyncStorageWrites { n.rawNode.advance(rd) }
    }

    /// Handles the oldest message queued for node `idx`'s append thread: persist, then release its
    /// responses into the network.
    ///
    /// etcd: `InteractionEnv.ProcessAppendThread`.
    func processAppendThread(_ idx: Int) throws {
        let n = nodes[idx]
        try runStorageThread(n, \.appendWork, idle: "no append work to perform") { m in
            let hs = HardState(term: m.term, vote: m.vote, commit: m.commit)
            try processAppend(n, hardState: hs, entries: m.entries, snapshot: m.snapshot ?? Snapshot())
        }
    }

    /// Handles the oldest message queued for node `idx`'s apply thread: apply, then release its
    /// responses.
    ///
    /// etcd: `InteractionEnv.ProcessApplyThread`.
    func processApplyThread(_ idx: Int) throws {
        let n = nodes[idx]
        try runStorageThread(n, \.applyWork, idle: "no apply work to perform") { m in
            try processApply(n, m.entries)
        }
    }

    /// One step of a local storage thread: take the oldest queued message, print it, do its work,
    /// then print and release the responses that waited for that work.
    private func runStorageThread(
        _ n: Node, _ queue: ReferenceWritableKeyPath<Node, [Message]>, idle: String,
        _ work: (Message) throws -> Void
    ) throws {
        guard !n[keyPath: queue].isEmpty else {
            output.write(idle)
            return
        }
        var m = n[keyPath: queue].removeFirst()
        let responses = m.responses
        m.responses = []
        output.write("Processing:\n\(m.describe(Self.entryFormatter))\n")
        try work(m)
        output.write("Responses:\n")
        for r in responses { output.write("\(r.describe(Self.entryFormatter))\n") }
        messages.append(contentsOf: responses)
    }

    /// Persists a hard state and either a snapshot or entries.
    ///
    /// etcd: `processAppend`.
    func processAppend(_ n: Node, hardState: HardState, entries: [Entry], snapshot: Snapshot) throws {
        let s = n.storage.memory
        if !hardState.isEmpty { s.setHardState(hardState) }
        if !snapshot.isEmpty {
            guard entries.isEmpty else { throw ProcessError("can't apply snapshot and entries at the same time") }
            try s.applySnapshot(snapshot)
            return
        }
        try s.append(entries)
    }

    /// Applies committed entries to the "appender" state machine: each payload (or conf change
    /// context) is appended to the state, and conf changes are applied to raft.
    ///
    /// etcd: `processApply`.
    func processApply(_ n: Node, _ entries: [Entry]) throws {
        for e in entries {
            var update: [UInt8]
            var cs: ConfState?
            switch e.type {
            case .entryConfChange:
                let cc = try ConfChange(unmarshaling: e.data)
                update = cc.context
                cs = try n.rawNode.applyConfChange(cc)
            case .entryConfChangeV2:
                let cc = try ConfChangeV2(unmarshaling: e.data)
                cs = try n.rawNode.applyConfChange(cc)
                update = cc.context
            case .entryNormal:
                update = e.data
            }
            let last = n.storage.history.last ?? Snapshot()
            var snap = Snapshot()
            snap.data = last.data + update
            snap.metadata.index = e.index
            snap.metadata.term = e.term
            snap.metadata.confState = cs ?? last.metadata.confState
            n.storage.record(snap)
        }
    }

    /// `deliver-msgs [N ...] [drop=(N,...)] [type=MsgApp]`: delivers (or drops) the in-flight
    /// messages to the named nodes, in order; prints `no messages` when there were none.
    func deliverMessages(_ args: [CmdArg]) throws {
        var type: MessageType?
        var recipients: [(id: UInt64, drop: Bool)] = []
        for arg in args {
            if arg.vals.isEmpty {
                guard let id = UInt64(arg.key) else { throw InteractionError("bad recipient \(arg.key)") }
                recipients.append((id, false))
            }
            for v in arg.vals {
                switch arg.key {
                case "drop":
                    guard let id = UInt64(v) else { throw InteractionError("bad recipient \(v)") }
                    if recipients.contains(where: { $0.id == id }) {
                        throw InteractionError("can't both deliver and drop msgs to \(id)")
                    }
                    recipients.append((id, true))
                case "type":
                    guard let t = MessageType.allCases.first(where: { $0.description == v }) else {
                        throw InteractionError("unknown message type \(v)")
                    }
                    type = t
                default:
                    break
                }
            }
        }
        var handled = 0
        for r in recipients { handled += deliver(to: r.id, type: type, drop: r.drop) }
        if handled == 0 { output.write("no messages\n") }
    }

    /// Delivers (or drops) the in-flight messages to `id` of `type` (any when nil). Messages that
    /// must be delivered reliably (local ones) are never dropped. Returns how many were handled.
    ///
    /// etcd: `InteractionEnv.DeliverMsgs`.
    @discardableResult
    func deliver(to id: UInt64, type: MessageType?, drop: Bool) -> Int {
        let (selected, rest) = split(messages, to: id, type: type, drop: drop)
        messages = rest
        for m in selected {
            if drop { output.write("dropped: ") }
            output.write("\(m.describe(Self.entryFormatter))\n")
            if drop { continue }
            let toIdx = Int(m.to) - 1
            guard toIdx >= 0, toIdx < nodes.count else {
                output.write("no node \(m.to)\n")
                continue
            }
            do { try nodes[toIdx].rawNode.step(m) } catch { output.write("\(error)\n") }
        }
        return selected.count
    }

    /// The messages to `to` (of `type`, any when nil; never a local one when dropping), and the
    /// rest, both in their original order.
    ///
    /// etcd: `splitMsgs`.
    func split(_ msgs: [Message], to: UInt64, type: MessageType?, drop: Bool) -> ([Message], [Message]) {
        var selected: [Message] = [], rest: [Message] = []
        for m in msgs {
            let isLocal = m.from == m.to || PeerID.isLocalTarget(m.from) || PeerID.isLocalTarget(m.to)
            if m.to == to && !(drop && isLocal) && (type == nil || m.type == type) {
                selected.append(m)
            } else {
                rest.append(m)
            }
        }
        return (selected, rest)
    }

    /// `stabilize [N ...] [log-level=LEVEL]`: handles Readies, delivers messages and runs the
    /// storage threads of the named nodes (all when none are named) until nothing is left to do.
    ///
    /// etcd: `InteractionEnv.Stabilize`.
    func stabilize(_ args: [CmdArg]) throws {
        var indexes = try nodeIndexes(args)
        let savedLevel = output.level
        defer { output.level = savedLevel }
        for arg in args where arg.key == "log-level" {
            for v in arg.vals { try setLogLevel(v) }
        }
        if indexes.isEmpty { indexes = Array(nodes.indices) }
        while true {
            var done = true
            for idx in indexes where nodes[idx].rawNode.hasReady() {
                output.write("> \(idx + 1) handling Ready\n")
                try output.withIndent { try processReady(idx) }
                done = false
            }
            for idx in indexes {
                let id = UInt64(idx + 1)
                if !split(messages, to: id, type: nil, drop: false).0.isEmpty {
                    output.write("> \(id) receiving messages\n")
                    output.withIndent { _ = deliver(to: id, type: nil, drop: false) }
                    done = false
                }
            }
            for idx in indexes where !nodes[idx].appendWork.isEmpty {
                output.write("> \(idx + 1) processing append thread\n")
                while !nodes[idx].appendWork.isEmpty {
                    try output.withIndent { try processAppendThread(idx) }
                }
                done = false
            }
            for idx in indexes where !nodes[idx].applyWork.isEmpty {
                output.write("> \(idx + 1) processing apply thread\n")
                while !nodes[idx].applyWork.isEmpty {
                    try output.withIndent { try processApplyThread(idx) }
                }
                done = false
            }
            if done { return }
        }
    }
}
