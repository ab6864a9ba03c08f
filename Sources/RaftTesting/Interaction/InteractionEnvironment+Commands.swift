import Raft

// The commands of etcd's interaction harness, plus a few of ours for behaviour etcd's transcripts
// do not drive (each documented where it is implemented). etcd's harness at the commit of our
// conformance files (cdfbeed) does not know these: it answers "unknown command" (or ignores the
// add-nodes keys), so a transcript that uses them is checked only against our reading of etcd,
// never against etcd itself (Tests/ConformanceScenarios/README.md lists those files):
//
//     tick N COUNT                              ours (a later etcd harness has one like it)
//     read-index N CTX                          ours: RawNode.readIndex
//     report-snapshot N PEER status=finish|failure   ours: RawNode.reportSnapshot
//     add-nodes ... disable-proposal-forwarding=BOOL max-uncommitted-size=BYTES   ours
//
// Errors follow etcd's split: what etcd's handlers return (raft's and storage's errors, and the
// arguments they parse themselves with strconv) is printed as the block's output
// (`ProcessError`); what etcd reports through `t.Fatal` (a malformed node id, a missing argument)
// fails the run (`InteractionError`).

extension InteractionEnvironment {
    /// Runs one block of a transcript and returns its output: what the command printed, then any
    /// error raft returned; `ok` when nothing was printed.
    ///
    /// etcd: `InteractionEnv.Handle`.
    public func handle(_ command: String, _ args: [CmdArg], input: String) throws -> String {
        _ = output.take()
        var failure: Error?
        do {
            if command == "propose-conf-change" {
                try proposeConfChange(args, input: input)
            } else {
                try handleMulti(command, args, input: input)
            }
        } catch let error as InteractionError {
            throw error
        } catch {
            failure = error
        }
        if let failure {
            // Errors are shown even when the log level silences everything else.
            if output.isQuiet { return "\(failure)" }
            output.write("\(failure)")
        }
        let text = output.take()
        return text.isEmpty ? "ok" : text
    }

    /// The command, then each input line as a further command.
    private func handleMulti(_ command: String, _ args: [CmdArg], input: String) throws {
        try handleSingle(command, args)
        for line in input.split(separator: "\n", omittingEmptySubsequences: false) where !line.isEmpty {
            let (cmd, lineArgs) = try Datadriven.parseLine(String(line))
            do { try handleSingle(cmd, lineArgs) } catch let error as InteractionError {
                throw error
            } catch {
                if output.isQuiet { throw error }
                output.write("\(error)")
            }
        }
    }

    private func handleSingle(_ command: String, _ args: [CmdArg]) throws {
        switch command {
        case "_breakpoint": return
        case "add-nodes": try addNodes(args)
        case "campaign": try node(args).rawNode.campaign()
        case "compact": try compact(args)
        case "deliver-msgs": try deliverMessages(args)
        case "process-ready": try forEachNode(args, header: "handling Ready") { try processReady($0) }
        case "process-append-thread":
            try forEachNode(args, header: "processing append thread") { try processAppendThread($0) }
        case "process-apply-thread":
            try forEachNode(args, header: "processing apply thread") { try processApplyThread($0) }
        case "log-level": try setLogLevel(firstKey(args))
        case "raft-log": try raftLog(nodeIndex(args))
        case "raft-state": raftState()
        case "set-randomized-election-timeout":
            guard let timeout = try intArg(args, "timeout"), timeout != 0 else {
                throw InteractionError("set-randomized-election-timeout needs timeout=<non-zero>")
            }
            try node(args).rawNode.setRandomizedElectionTimeout(timeout)
        case "stabilize": try stabilize(args)
        case "status": try status(args)
        case "tick": try tick(args)  // ours
        case "read-index": try readIndex(args)  // ours
        case "report-snapshot": try reportSnapshot(args)  // ours
        case "tick-election":
            let n = try node(args)
            for _ in 0..<n.config.electionTick { n.rawNode.tick() }
        case "tick-heartbeat":
            let n = try node(args)
            for _ in 0..<n.config.heartbeatTick { n.rawNode.tick() }
        case "transfer-leadership": try transferLeadership(args)
        case "forget-leader": try node(args).rawNode.forgetLeader()
        case "send-snapshot": try sendSnapshot(args)
        case "propose":
            guard args.count >= 2 else { throw InteractionError("propose needs a node and a payload") }
            try node(args).rawNode.propose(Array(args[1].key.utf8))
        case "report-unreachable": try reportUnreachable(args)
        default:
            throw RaftHarnessError.unknownCommand
        }
    }

    // MARK: - Arguments

    /// The node named by the first argument (ids start at 1).
    func node(_ args: [CmdArg]) throws -> Node { nodes[try nodeIndex(args)] }

    func nodeIndex(_ args: [CmdArg]) throws -> Int {
        let key = try firstKey(args)
        guard let id = Int(key), id >= 1, id <= nodes.count else {
            throw InteractionError("node \(key) does not exist (there are \(nodes.count))")
        }
        return id - 1
    }

    func firstKey(_ args: [CmdArg]) throws -> String {
        guard let first = args.first else { throw InteractionError("missing argument") }
        return first.key
    }

    /// The node indexes named by the bare (value-less) arguments.
    func nodeIndexes(_ args: [CmdArg]) throws -> [Int] {
        try args.filter { $0.vals.isEmpty }.map { arg in
            guard let id = Int(arg.key), id >= 1, id <= nodes.count else {
                throw InteractionError("node \(arg.key) does not exist (there are \(nodes.count))")
            }
            return id - 1
        }
    }

    func intArg(_ args: [CmdArg], _ key: String) throws -> Int? {
        guard let arg = args.first(where: { $0.key == key }), let v = arg.vals.first else { return nil }
        guard let n = Int(v) else { throw InteractionError("\(key)=\(v) is not a number") }
        return n
    }

    /// Runs `body` for each named node; with more than one, under a `> N header` line each.
    private func forEachNode(_ args: [CmdArg], header: String, _ body: (Int) throws -> Void) throws {
        let indexes = try nodeIndexes(args)
        for idx in indexes {
            if indexes.count > 1 {
                output.write("> \(idx + 1) \(header)\n")
                try output.withIndent { try body(idx) }
            } else {
                try body(idx)
            }
        }
    }

    // MARK: - Commands

    /// `add-nodes N voters=(1,2,3) learners=(4) index=10 content=foo async-storage-writes=true ...`:
    /// new nodes with consecutive ids, each starting from a snapshot with that membership at
    /// `index` (term 1), or from an empty log.
    ///
    /// Besides etcd's keys, ours: `disable-proposal-forwarding=<bool>` (`Config.disableProposalForwarding`)
    /// and `max-uncommitted-size=<bytes>` (`Config.maxUncommittedEntriesSize`).
    ///
    /// etcd: `InteractionEnv.AddNodes`.
    func addNodes(_ args: [CmdArg]) throws {
        guard let count = Int(try firstKey(args)) else { throw InteractionError("add-nodes needs a count") }
        var snap = Snapshot()
        var template = Self.configStub(storage: MemoryStorage())
        template.parts = parts
        for arg in args.dropFirst() {
            for v in arg.vals {
                switch arg.key {
                case "voters": snap.metadata.confState.voters.append(try uint(v, arg.key))
                case "learners": snap.metadata.confState.learners.append(try uint(v, arg.key))
                case "inflight": template.maxInflightMsgs = Int(try uint(v, arg.key))
                case "index":
                    snap.metadata.index = try uint(v, arg.key)
                    template.applied = snap.metadata.index
                case "content": snap.data = Array(v.utf8)
                case "async-storage-writes": template.asyncStorageWrites = try bool(v, arg.key)
                case "prevote": template.preVote = try bool(v, arg.key)
                case "checkquorum": template.checkQuorum = try bool(v, arg.key)
                case "max-committed-size-per-ready": template.maxCommittedSizePerReady = try uint(v, arg.key)
                case "disable-conf-change-validation": template.disableConfChangeValidation = try bool(v, arg.key)
                case "step-down-on-removal": template.stepDownOnRemoval = try bool(v, arg.key)
                // Ours: etcd's harness has no keys for these two settings.
                case "disable-proposal-forwarding": template.disableProposalForwarding = try bool(v, arg.key)
                case "max-uncommitted-size": template.maxUncommittedEntriesSize = try uint(v, arg.key)
                case "read-only":
                    switch v {
                    case "safe": template.readOnlyOption = .safe
                    case "lease-based": template.readOnlyOption = .leaseBased
                    default: throw ProcessError("invalid read-only option \(GoQuote.quote(Array(v.utf8)))")
                    }
                default:
                    break
                }
            }
        }
        let bootstrap = snap != Snapshot()
        for _ in 0..<count {
            let id = UInt64(nodes.count + 1)
            let memory = MemoryStorage()
            if bootstrap {
                // MemoryStorage needs a first index above 1 to hold a snapshot.
                guard snap.metadata.index > 1 else {
                    throw ProcessError("index must be specified as > 1 due to bootstrap")
                }
                snap.metadata.term = 1
                try memory.applySnapshot(snap)
                let first = memory.firstIndex()
                guard first == snap.metadata.index + 1 else {
                    throw ProcessError("failed to establish first index \(snap.metadata.index + 1); got \(first)")
                }
            }
            let storage = InteractionStorage(memory: memory, initial: snap)
            var config = template
            config.id = id
            config.storage = storage
            config.logger = output
            let rawNode = try RawNode(config: config)
            nodes.append(Node(rawNode: rawNode, storage: storage, config: config))
        }
    }

    /// `tick N COUNT`: ticks node N COUNT times (for timings that are not a whole heartbeat or
    /// election interval).
    ///
    /// etcd: `handleTick` (in newer versions of the harness).
    func tick(_ args: [CmdArg]) throws {
        let n = try node(args)
        guard args.count == 2, args[1].vals.isEmpty, let count = Int(args[1].key), count >= 0 else {
            throw InteractionError("tick needs a node and a number of ticks")
        }
        for _ in 0..<count { n.rawNode.tick() }
    }

    /// `read-index N CTX`: node N asks for a linearizable read point identified by CTX (its bytes
    /// are the request context). The answer comes back in a later Ready as `ReadStates [...]`.
    ///
    /// etcd: none (ours; calls `RawNode.ReadIndex`).
    func readIndex(_ args: [CmdArg]) throws {
        let n = try node(args)
        guard args.count == 2, args[1].vals.isEmpty else {
            throw InteractionError("read-index needs a node and a request context")
        }
        n.rawNode.readIndex(Array(args[1].key.utf8))
    }

    /// `report-snapshot N PEER status=finish|failure`: node N learns how sending its snapshot to
    /// PEER went, as an application reports it once its transport is done with the `MsgSnap`.
    ///
    /// etcd: none (ours; calls `RawNode.ReportSnapshot`).
    func reportSnapshot(_ args: [CmdArg]) throws {
        let indexes = try nodeIndexes(args)
        guard indexes.count == 2 else { throw InteractionError("report-snapshot needs two nodes") }
        guard let value = args.first(where: { $0.key == "status" })?.vals.first else {
            throw InteractionError("report-snapshot needs status=finish or status=failure")
        }
        let status: SnapshotStatus
        switch value {
        case "finish": status = .finish
        case "failure": status = .failure
        default: throw InteractionError("invalid snapshot status \"\(value)\" (finish or failure)")
        }
        nodes[indexes[0]].rawNode.reportSnapshot(UInt64(indexes[1] + 1), status: status)
    }

    /// `compact N INDEX`: discards node N's stored log before INDEX, then prints the log. An
    /// INDEX that is not a number is printed as Go's `strconv.ParseUint` error, as etcd does.
    ///
    /// etcd: `handleCompact`.
    func compact(_ args: [CmdArg]) throws {
        let idx = try nodeIndex(args)
        guard args.count >= 2 else { throw InteractionError("compact needs a node and a new first index") }
        let newFirst = try Self.parseUint(args[1].key)
        try nodes[idx].storage.memory.compact(newFirst)
        try raftLog(idx)
    }

    /// `report-unreachable N PEER`: node N's `reportUnreachable` of PEER. Any other number of
    /// nodes is an error printed as output, as etcd does.
    ///
    /// etcd: `handleReportUnreachable`.
    func reportUnreachable(_ args: [CmdArg]) throws {
        // Counted before the ids are looked up, as etcd does.
        let named = args.filter { $0.vals.isEmpty }
        guard named.count == 2 else {
            throw ProcessError("must specify exactly two node indexes: node on which to report, and reported node")
        }
        let indexes = try nodeIndexes(named)
        nodes[indexes[0]].rawNode.reportUnreachable(nodes[indexes[1]].config.id)
    }

    /// `raft-log N`: the entries in node N's storage.
    func raftLog(_ idx: Int) throws {
        let s = nodes[idx].storage
        let first = s.firstIndex(), last = s.lastIndex()
        if last < first {
            output.write("log is empty: first index=\(first), last index=\(last)")
            return
        }
        output.write(try s.entries(first, last + 1, maxSize: noLimit).describe(Self.entryFormatter))
    }

    /// `raft-state`: each node's role, voter status, term and leader, as it sees them.
    func raftState() {
        for n in nodes {
            let st = n.rawNode.status()
            let voter = st.config.voters.ids.contains(st.id) ? "(Voter)" : "(Non-Voter)"
            output.write(
                "\(st.id): \(st.softState.raftState) \(voter) Term:\(st.hardState.term) Lead:\(st.softState.lead)\n")
        }
    }

    /// `status N`: node N's progress map (only a leader has one).
    func status(_ args: [CmdArg]) throws {
        output.write(try node(args).rawNode.progressMapDescription())
    }

    /// `transfer-leadership from=1 to=2`.
    func transferLeadership(_ args: [CmdArg]) throws {
        guard let from = try intArg(args, "from"), from >= 1, from <= nodes.count else {
            throw InteractionError("expected valid \"from\" argument")
        }
        guard let to = try intArg(args, "to"), to >= 1, to <= nodes.count else {
            throw InteractionError("expected valid \"to\" argument")
        }
        nodes[from - 1].rawNode.transferLeader(UInt64(to))
    }

    /// `send-snapshot FROM TO`: queues a `msgSnap` with FROM's current state, without delivering it.
    func sendSnapshot(_ args: [CmdArg]) throws {
        let indexes = try nodeIndexes(args)
        guard indexes.count == 2 else { throw InteractionError("send-snapshot needs two nodes") }
        let from = nodes[indexes[0]]
        let snap = try from.storage.snapshot()
        let m = Message(
            type: .msgSnap, to: UInt64(indexes[1] + 1), from: UInt64(indexes[0] + 1),
            term: from.rawNode.basicStatus().term, snapshot: snap)
        messages.append(m)
        output.write(m.describe())
    }

    /// `propose-conf-change N [v1=true] [transition=auto|implicit|explicit]` with the changes
    /// (`v1 l2 r3 u4`) as input.
    ///
    /// etcd: `handleProposeConfChange`.
    func proposeConfChange(_ args: [CmdArg], input: String) throws {
        let n = try node(args)
        var v1 = false
        var transition = ConfChangeTransition.auto
        for arg in args.dropFirst() {
            for v in arg.vals {
                switch arg.key {
                case "v1": v1 = try Self.parseBool(v)
                case "transition":
                    switch v {
                    case "auto": transition = .auto
                    case "implicit": transition = .jointImplicit
                    case "explicit": transition = .jointExplicit
                    default: throw ProcessError("unknown transition \(v)")
                    }
                default:
                    throw ProcessError("unknown command \(arg.key)")
                }
            }
        }
        let changes = try ConfChangeSingle.parse(input)
        if v1 {
            guard changes.count <= 1, transition == .auto, let change = changes.first else {
                throw ProcessError("v1 conf change can only have one operation and no transition")
            }
            try n.rawNode.proposeConfChange(ConfChange(type: change.type, nodeID: change.nodeID))
        } else {
            try n.rawNode.proposeConfChange(ConfChangeV2(transition: transition, changes: changes))
        }
    }

    /// `log-level NAME`.
    func setLogLevel(_ name: String) throws {
        guard let level = RedirectLogger.levelNames.firstIndex(where: { $0.lowercased() == name.lowercased() }) else {
            throw ProcessError("log levels must be either of [\(RedirectLogger.levelNames.joined(separator: " "))]")
        }
        output.level = level
    }

    /// Go's `strconv.ParseUint(s, 10, 64)`, whose error etcd's handlers print as output.
    static func parseUint(_ s: String) throws(ProcessError) -> UInt64 {
        let quoted = GoQuote.quote(Array(s.utf8))
        guard !s.isEmpty, s.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
            throw ProcessError("strconv.ParseUint: parsing \(quoted): invalid syntax")
        }
        guard let n = UInt64(s) else { throw ProcessError("strconv.ParseUint: parsing \(quoted): value out of range") }
        return n
    }

    /// Go's `strconv.ParseBool`, whose error etcd's handlers print as output.
    static func parseBool(_ s: String) throws(ProcessError) -> Bool {
        switch s {
        case "true", "1", "t", "T", "TRUE", "True": return true
        case "false", "0", "f", "F", "FALSE", "False": return false
        default: throw ProcessError("strconv.ParseBool: parsing \(GoQuote.quote(Array(s.utf8))): invalid syntax")
        }
    }

    private func uint(_ v: String, _ key: String) throws -> UInt64 {
        guard let n = UInt64(v) else { throw InteractionError("\(key)=\(v) is not a number") }
        return n
    }

    private func bool(_ v: String, _ key: String) throws -> Bool {
        switch v {
        case "true", "1", "t", "T", "TRUE", "True": return true
        case "false", "0", "f", "F", "FALSE", "False": return false
        default: throw InteractionError("\(key)=\(v) is not a boolean")
        }
    }
}

/// An error a command reports as output, as etcd's harness prints errors returned by raft and by
/// storage.
struct ProcessError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// What etcd prints for a command it does not know.
enum RaftHarnessError: Error, CustomStringConvertible {
    case unknownCommand
    var description: String { "unknown command" }
}
