import ExerciseSupport
import Raft
import RaftTesting

// Chapter 5's exercises and their checks. Each check runs the learner's function and the
// library's on twins (built alike) and compares what each did: what it returned, the state left
// behind (read states, reads held or queued, messages waiting to go), and the log lines written.

extension Catalog {
    static let ch05 = ChapterExercises(chapter: 5, exercises: [
        Exercise("5.1", "readOnlyAdvance", replaces: "ReadOnly.advance (Sources/Raft/Core/ReadOnly.swift)",
                 file: "ReadOnlyAdvance.swift", summary: "a quorum's acknowledgement confirms read requests",
                 checks: Ch05Checks.readOnlyAdvance),
        Exercise("5.2", "handleReadIndex",
                 replaces: "RaftStateMachine.handleReadIndex (Sources/Raft/Core/RaftStateMachine+ReadIndex.swift)",
                 file: "HandleReadIndex.swift", summary: "a leader receives a read request",
                 checks: Ch05Checks.handleReadIndex),
        Exercise("5.3", "sendReadIndexResponse",
                 replaces: "RaftStateMachine.sendReadIndexResponse (Sources/Raft/Core/RaftStateMachine+ReadIndex.swift)",
                 file: "SendReadIndexResponse.swift", summary: "serve a read at the commit index, safely or under a lease",
                 checks: Ch05Checks.sendReadIndexResponse),
    ])
}

enum Ch05Checks {
    typealias F = Fixtures

    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }
    static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    /// A read request with context `context`, from the application (`from` 0) or forwarded by a node.
    static func readRequest(_ context: String, from: UInt64) -> Message {
        Message(type: .msgReadIndex, to: from == 0 ? 0 : 1, from: from, entries: [Entry(data: bytes(context))])
    }

    /// The requests a `ReadOnly` holds: the queue in order, then every pending request with its
    /// read index, where it came from and who acknowledged it.
    static func describe(_ ro: ReadOnly) -> String {
        let pending = ro.pendingReadIndex.keys.sorted { text($0) < text($1) }.map { key in
            let rs = ro.pendingReadIndex[key]!
            return "\(text(key))@\(rs.index) from \(rs.req.from) acks \(rs.acks.sorted())"
        }
        return "queue [\(ro.readIndexQueue.map(text).joined(separator: " "))] pending [\(pending.joined(separator: ", "))]"
    }

    /// Released requests, in the order given.
    static func describe(_ released: [ReadIndexStatus]) -> String {
        "[" + released.map { "\(text($0.req.entries.first?.data ?? []))@\($0.index) from \($0.req.from)" }
            .joined(separator: ", ") + "]"
    }

    // MARK: 5.1

    /// A leader's queue holding `reads` (context and read index), each acknowledged by the leader
    /// (node 1) and by the nodes in `acks`.
    static func readOnly(_ reads: [(String, UInt64)], acks: [UInt64] = []) -> ReadOnly {
        var ro = ReadOnly(option: .safe)
        for (k, (context, index)) in reads.enumerated() {
            ro.addRequest(index, readRequest(context, from: k % 2 == 0 ? 0 : 2))
            _ = ro.recvAck(1, bytes(context))
            for id in acks { _ = ro.recvAck(id, bytes(context)) }
        }
        return ro
    }

    static func compareAdvance(_ parts: Parts, _ expect: inout Expectations, _ reads: [(String, UInt64)],
                               acks: [UInt64] = [], acknowledged context: String) throws {
        let yours = try parts.require(\.readOnlyAdvance, "5.1")
        var mine = readOnly(reads, acks: acks), theirs = readOnly(reads, acks: acks)
        let m = Message(type: .msgHeartbeatResp, to: 1, from: 2, term: 2, context: bytes(context))
        let setting = "advance(\(describe(mine)), acknowledged context \"\(context)\")"
        expect.equal(describe(yours(&mine, m)), describe(theirs.advance(m)), "\(setting): the requests released")
        expect.same(describe(mine), describe(theirs), "\(setting): what is left")
    }

    static let readOnlyAdvance: [Check] = [
        Check("an acknowledgement releases its read and every read queued before it, oldest first") { parts, expect in
            try compareAdvance(parts, &expect, [("a", 3), ("b", 3), ("c", 5)], acknowledged: "c")
            try compareAdvance(parts, &expect, [("a", 3), ("b", 4)], acks: [3], acknowledged: "b")
            try compareAdvance(parts, &expect, [("a", 7)], acknowledged: "a")
        },
        Check("reads queued after the acknowledged one stay pending") { parts, expect in
            try compareAdvance(parts, &expect, [("a", 3), ("b", 3), ("c", 5)], acknowledged: "a")
            try compareAdvance(parts, &expect, [("a", 3), ("b", 4), ("c", 5), ("d", 5)], acks: [2], acknowledged: "b")
        },
        Check("an acknowledgement of a context that is not queued releases nothing") { parts, expect in
            try compareAdvance(parts, &expect, [("a", 3), ("b", 4)], acknowledged: "z")
            try compareAdvance(parts, &expect, [], acknowledged: "a")
            try compareAdvance(parts, &expect, [("a", 3)], acknowledged: "")
        },
        Check("any queue and any acknowledgement: the same as the library") { parts, expect in
            var rng = SeededRandomNumberGenerator(seed: 51)
            let pool = ["a", "b", "c", "d", "e", "f"]
            for _ in 0..<300 {
                var reads: [(String, UInt64)] = []
                var index = UInt64.random(in: 1...5, using: &rng)
                for context in pool.shuffled(using: &rng).prefix(Int.random(in: 0...5, using: &rng)) {
                    index += UInt64.random(in: 0...2, using: &rng)
                    reads.append((context, index))
                }
                let acks = [UInt64](arrayLiteral: 2, 3).filter { _ in Bool.random(using: &rng) }
                let context = (pool + ["z"]).randomElement(using: &rng) ?? "a"
                try compareAdvance(parts, &expect, reads, acks: acks, acknowledged: context)
                if !expect.failures.isEmpty { return }
            }
        },
    ]

    // MARK: Leaders, for 5.2 and 5.3

    /// Node 1, leader at term 2 of `voters` (and `learners`), whose log holds three entries of
    /// term 1, all committed, then its own empty entry of term 2 at index 4, committed when
    /// `committedInTerm`.
    static func leader(voters: [UInt64], learners: [UInt64], option: ReadOnlyOption, committedInTerm: Bool,
                       logger: CapturingLogger) -> RaftStateMachine {
        let storage = F.storage(terms: [1, 1, 1], voters: voters, learners: learners,
                                hardState: HardState(term: 1, vote: 0, commit: 3))
        let r = F.node(id: 1, storage: storage, logger: logger) { c in
            c.readOnlyOption = option
            // Lease-based reads are only allowed with CheckQuorum.
            c.checkQuorum = option == .leaseBased
        }.raft
        r.becomeCandidate()
        r.becomeLeader()
        if committedInTerm { acknowledgeLastEntry(r, by: voters + learners) }
        r.msgs = []
        logger.clear()
        return r
    }

    /// `ids` acknowledge the leader's last entry (the leader's own acknowledgement included).
    static func acknowledgeLastEntry(_ r: RaftStateMachine, by ids: [UInt64]) {
        for id in ids {
            try? r.step(Message(type: .msgAppResp, to: 1, from: id, term: r.term, index: r.raftLog.lastIndex()))
        }
    }

    /// `ids` answer heartbeats carrying `context`.
    static func answerHeartbeats(_ r: RaftStateMachine, by ids: [UInt64], context: String) {
        for id in ids {
            try? r.step(Message(type: .msgHeartbeatResp, to: 1, from: id, term: r.term, context: bytes(context)))
        }
    }

    /// What checks compare of a leader: the reads first (answered, held, queued, in detail), then
    /// the messages waiting to go, then everything `Fixtures.describe` shows.
    static func state(_ r: RaftStateMachine) -> String {
        "read states: \(r.readStates)\n"
            + "held reads: \(r.pendingReadIndexMessages.map { text($0.entries.first?.data ?? []) })\n"
            + describe(r.readOnly) + "\n"
            + "messages: [\(r.msgs.map { $0.describe() }.joined(separator: ", "))]\n"
            + F.describe(r)
    }

    static func who(_ voters: [UInt64], _ learners: [UInt64], _ option: ReadOnlyOption) -> String {
        "a leader of voters \(voters)" + (learners.isEmpty ? "" : " and learners \(learners)")
            + (option == .safe ? " (safe reads)" : " (lease-based reads)")
    }

    static func asked(_ from: UInt64, _ context: String) -> String {
        from == 0 ? "its application asks for read \"\(context)\"" : "node \(from) forwards read \"\(context)\""
    }

    // MARK: 5.2

    /// The learner's and the library's `handleReadIndex` on twin leaders; with `thenCommit`, both
    /// leaders then commit their empty entry and every other node answers the heartbeats.
    static func compareHandle(_ parts: Parts, _ expect: inout Expectations, voters: [UInt64],
                              learners: [UInt64] = [], option: ReadOnlyOption = .safe, committedInTerm: Bool,
                              from: UInt64, thenCommit: Bool = false) throws {
        let yours = try parts.require(\.handleReadIndex, "5.2")
        func twin() -> (RaftStateMachine, CapturingLogger) {
            let logger = CapturingLogger()
            return (leader(voters: voters, learners: learners, option: option, committedInTerm: committedInTerm,
                           logger: logger), logger)
        }
        let (mine, myLines) = twin(), (theirs, theirLines) = twin()
        let m = readRequest("r1", from: from)
        yours(mine, m)
        theirs.handleReadIndex(m)
        var setting = who(voters, learners, option)
            + (committedInTerm ? ", which has committed an entry of its term:" : ", which has not committed an entry of its term yet:")
            + " " + asked(from, "r1")
        expect.same(state(mine), state(theirs), setting)
        expect.sameLines(myLines, theirLines, setting)
        guard thenCommit, expect.failures.isEmpty else { return }
        let others = (voters + learners).filter { $0 != 1 }
        for r in [mine, theirs] {
            if !committedInTerm { acknowledgeLastEntry(r, by: voters + learners) }
            answerHeartbeats(r, by: others, context: "r1")
        }
        setting += (committedInTerm ? "" : "; then the leader commits its empty entry") + "; then \(others) answer the heartbeats"
        expect.same(state(mine), state(theirs), setting)
        expect.sameLines(myLines, theirLines, setting)
    }

    static let handleReadIndex: [Check] = [
        Check("a single voter answers at once at its commit index, even before it commits in its term") { parts, expect in
            try compareHandle(parts, &expect, voters: [1], committedInTerm: false, from: 0)
            try compareHandle(parts, &expect, voters: [1], learners: [2], committedInTerm: false, from: 2)
            try compareHandle(parts, &expect, voters: [1], learners: [2], committedInTerm: true, from: 0)
            try compareHandle(parts, &expect, voters: [1], option: .leaseBased, committedInTerm: false, from: 0)
        },
        Check("a leader that has not committed an entry of its term holds the read") { parts, expect in
            try compareHandle(parts, &expect, voters: [1, 2, 3], committedInTerm: false, from: 0)
            try compareHandle(parts, &expect, voters: [1, 2, 3], committedInTerm: false, from: 3)
            try compareHandle(parts, &expect, voters: [1, 2, 3, 4, 5], option: .leaseBased, committedInTerm: false,
                              from: 0)
        },
        Check("a leader that has committed in its term passes the read on to sendReadIndexResponse") { parts, expect in
            try compareHandle(parts, &expect, voters: [1, 2, 3], committedInTerm: true, from: 0)
            try compareHandle(parts, &expect, voters: [1, 2, 3], committedInTerm: true, from: 2)
            try compareHandle(parts, &expect, voters: [1, 2, 3], option: .leaseBased, committedInTerm: true, from: 0)
            try compareHandle(parts, &expect, voters: [1, 2, 3], learners: [4], option: .leaseBased,
                              committedInTerm: true, from: 4)
        },
        Check("a held read is answered once the leader commits an entry of its term and a quorum confirms it") { parts, expect in
            try compareHandle(parts, &expect, voters: [1, 2, 3], committedInTerm: false, from: 0, thenCommit: true)
            try compareHandle(parts, &expect, voters: [1, 2, 3], committedInTerm: false, from: 2, thenCommit: true)
            try compareHandle(parts, &expect, voters: [1, 2, 3], option: .leaseBased, committedInTerm: false, from: 3,
                              thenCommit: true)
        },
        Check("any leader and any read request: the same as the library") { parts, expect in
            var rng = SeededRandomNumberGenerator(seed: 52)
            for _ in 0..<60 {
                let voters: [UInt64] = [[1], [1, 2, 3], [1, 2, 3, 4, 5]].randomElement(using: &rng) ?? [1]
                let learners: [UInt64] = Bool.random(using: &rng) ? [9] : []
                let from = ([0] + voters.dropFirst() + learners).randomElement(using: &rng) ?? 0
                try compareHandle(parts, &expect, voters: voters, learners: learners,
                                  option: Bool.random(using: &rng) ? .safe : .leaseBased,
                                  committedInTerm: Bool.random(using: &rng), from: from, thenCommit: true)
                if !expect.failures.isEmpty { return }
            }
        },
    ]

    // MARK: 5.3

    /// The learner's and the library's `sendReadIndexResponse` on twin leaders that have committed
    /// in their term, for each read of `reads` in turn; then `acks` answer the heartbeats carrying
    /// the last read's context, one by one.
    static func compareSend(_ parts: Parts, _ expect: inout Expectations, voters: [UInt64], learners: [UInt64] = [],
                            option: ReadOnlyOption = .safe, reads: [(String, UInt64)], acks: [UInt64] = []) throws {
        let yours = try parts.require(\.sendReadIndexResponse, "5.3")
        func twin() -> (RaftStateMachine, CapturingLogger) {
            let logger = CapturingLogger()
            return (leader(voters: voters, learners: learners, option: option, committedInTerm: true, logger: logger),
                    logger)
        }
        let (mine, myLines) = twin(), (theirs, theirLines) = twin()
        var setting = who(voters, learners, option) + ", which has committed an entry of its term"
        for (k, (context, from)) in reads.enumerated() {
            let m = readRequest(context, from: from)
            yours(mine, m)
            theirs.sendReadIndexResponse(m)
            setting += (k == 0 ? ": " : "; then ") + asked(from, context)
            expect.same(state(mine), state(theirs), setting)
            expect.sameLines(myLines, theirLines, setting)
            if !expect.failures.isEmpty { return }
        }
        guard let last = reads.last?.0 else { return }
        for id in acks {
            answerHeartbeats(mine, by: [id], context: last)
            answerHeartbeats(theirs, by: [id], context: last)
            setting += "; then node \(id) answers the heartbeat carrying \"\(last)\""
            expect.same(state(mine), state(theirs), setting)
            expect.sameLines(myLines, theirLines, setting)
            if !expect.failures.isEmpty { return }
        }
    }

    static let sendReadIndexResponse: [Check] = [
        Check("in safe mode the read waits for a heartbeat round that carries its context") { parts, expect in
            try compareSend(parts, &expect, voters: [1, 2, 3], reads: [("r1", 0)])
            try compareSend(parts, &expect, voters: [1, 2, 3], learners: [4], reads: [("r1", 2)])
            try compareSend(parts, &expect, voters: [1, 2, 3, 4, 5], reads: [("r1", 0), ("r2", 3)])
        },
        Check("the leader's own acknowledgement counts toward the quorum") { parts, expect in
            try compareSend(parts, &expect, voters: [1, 2, 3], reads: [("r1", 0)], acks: [2])
            try compareSend(parts, &expect, voters: [1, 2, 3, 4, 5], reads: [("r1", 0)], acks: [5, 3])
        },
        Check("a forwarded read is answered to the node that asked once a quorum confirms it") { parts, expect in
            try compareSend(parts, &expect, voters: [1, 2, 3], reads: [("r1", 2)], acks: [3, 2])
            try compareSend(parts, &expect, voters: [1, 2, 3], learners: [4], reads: [("r1", 4), ("r2", 0)],
                            acks: [4, 3, 2])
        },
        Check("under a lease the read is answered at once: a read state for the leader's own, a response to a forwarded one") { parts, expect in
            try compareSend(parts, &expect, voters: [1, 2, 3], option: .leaseBased, reads: [("r1", 0)])
            try compareSend(parts, &expect, voters: [1, 2, 3], option: .leaseBased, reads: [("r1", 3), ("r2", 0)])
            try compareSend(parts, &expect, voters: [1, 2, 3], learners: [4], option: .leaseBased, reads: [("r1", 4)])
        },
        Check("any cluster, any reads and any acknowledgements: the same as the library") { parts, expect in
            var rng = SeededRandomNumberGenerator(seed: 53)
            for _ in 0..<60 {
                let voters: [UInt64] = Bool.random(using: &rng) ? [1, 2, 3] : [1, 2, 3, 4, 5]
                let learners: [UInt64] = Bool.random(using: &rng) ? [9] : []
                let others = Array(voters.dropFirst()) + learners
                let reads = ["r1", "r2", "r3"].prefix(Int.random(in: 1...3, using: &rng)).map {
                    ($0, ([0] + others).randomElement(using: &rng) ?? 0)
                }
                let acks = Array(others.shuffled(using: &rng).prefix(Int.random(in: 0...others.count, using: &rng)))
                try compareSend(parts, &expect, voters: voters, learners: learners,
                                option: Bool.random(using: &rng) ? .safe : .leaseBased, reads: reads, acks: acks)
                if !expect.failures.isEmpty { return }
            }
        },
    ]
}
