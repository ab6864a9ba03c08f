import ExerciseSupport
import Raft
import RaftTesting

// Chapter 9's exercises and their checks. Each runs on twin state machines (built alike, with
// `Ch02Checks.machine`): the learner's function on one, the library's on the other, then compares
// the result, what each shows from outside (role, term, log, messages, progress, transfer), and
// the log lines.

extension Catalog {
    static let ch09 = ChapterExercises(chapter: 9, exercises: [
        Exercise("9.1", "handleTransferLeader",
                 replaces: "RaftStateMachine.handleTransferLeader (Sources/Raft/Core/StepLeader.swift)",
                 file: "HandleTransferLeader.swift", summary: "a leader is asked to hand its leadership over",
                 checks: Ch09Checks.handleTransferLeader),
        Exercise("9.2", "ignoresVoteInLease",
                 replaces: "RaftStateMachine.ignoresVoteInLease (Sources/Raft/Core/RaftStateMachine+Step.swift)",
                 file: "IgnoresVoteInLease.swift", summary: "whether a vote request is ignored because the leader is alive",
                 checks: Ch09Checks.ignoresVoteInLease),
    ])
}

enum Ch09Checks {
    typealias F = Fixtures

    // MARK: 9.1

    /// Twins of node 1, leader of term 2 over voters 1, 2, 3 and learner 4, its log ending at
    /// 2/4. Follower `id`'s log reaches `matches[id]` (4 when not given); the leader's clock
    /// stands at `elapsed`, and a transfer to `transferring` may be under way. The learner's
    /// function and the library's are each handed a request from `from` (its progress, as
    /// `stepLeader` does); then `after`, if given, is stepped into both.
    static func compareTransfer(_ parts: Parts, _ expect: inout Expectations, matches: [UInt64: UInt64] = [:],
                                elapsed: Int = 0, transferring: UInt64 = 0, from: UInt64,
                                then after: Message? = nil) throws {
        let yours = try parts.require(\.handleTransferLeader, "9.1")
        func twin() -> (RaftStateMachine, CapturingLogger) {
            let (r, lines) = Ch02Checks.machine(voters: [1, 2, 3], learners: [4], terms: [1, 1, 1], term: 1, committed: 3)
            r.becomeCandidate()
            r.becomeLeader()
            r.trk.visit { id, pr in
                guard id != 1 else { return }
                pr.match = matches[id] ?? 4
                if pr.match == 4 {
                    pr.becomeReplicate()
                } else {
                    pr.becomeProbe()
                }
                pr.recentActive = true
            }
            r.electionElapsed = elapsed
            r.leadTransferee = transferring
            r.msgs = []
            r.msgsAfterAppend = []
            lines.clear()
            return (r, lines)
        }
        let (mine, myLines) = twin(), (theirs, theirLines) = twin()
        let m = Message(type: .msgTransferLeader, to: 1, from: from, term: 2)
        let lagging = matches.filter { $0.value < 4 }.sorted { $0.key < $1.key }.map { "\($0.key) at \($0.value)" }
        var setting = "leader 1 (log ends at 2/4\(lagging.isEmpty ? "" : ", lagging: " + lagging.joined(separator: ", "))"
            + ", electionElapsed=\(elapsed)\(transferring == 0 ? "" : ", transferring to \(transferring)")) "
            + "asked to transfer leadership to \(from)"
        guard let myProgress = mine.trk.progress[from], let theirProgress = theirs.trk.progress[from] else { return }
        yours(mine, m, myProgress)
        theirs.handleTransferLeader(m, theirProgress)
        Ch02Checks.sameNode(&expect, mine, theirs, setting)
        expect.sameLines(myLines, theirLines, setting)
        guard let after, expect.failures.isEmpty else { return }
        setting += ", then steps \(after.describe())"
        var myError: RaftError?, theirError: RaftError?
        do { try mine.step(after) } catch { myError = error }
        do { try theirs.step(after) } catch { theirError = error }
        expect.equal(myError.map { "\($0)" }, theirError.map { "\($0)" }, "\(setting): the error")
        Ch02Checks.sameNode(&expect, mine, theirs, setting)
        expect.sameLines(myLines, theirLines, setting)
    }

    static let handleTransferLeader: [Check] = [
        Check("a transferee whose log is up to date is told to campaign at once (MsgTimeoutNow)") { parts, expect in
            try compareTransfer(parts, &expect, from: 2)
            try compareTransfer(parts, &expect, matches: [2: 2], from: 3)
        },
        Check("a lagging transferee first gets the missing entries, not MsgTimeoutNow") { parts, expect in
            try compareTransfer(parts, &expect, matches: [3: 2], from: 3,
                                then: Message(type: .msgAppResp, to: 1, from: 3, term: 2, index: 4))
            try compareTransfer(parts, &expect, matches: [2: 0, 3: 3], from: 2)
        },
        Check("the transfer gets a whole election timeout: the leader's clock restarts") { parts, expect in
            try compareTransfer(parts, &expect, elapsed: 8, from: 2)
            try compareTransfer(parts, &expect, matches: [3: 1], elapsed: 5, from: 3)
        },
        Check("a learner cannot lead: a transfer to it is ignored") { parts, expect in
            try compareTransfer(parts, &expect, elapsed: 4, from: 4)
            try compareTransfer(parts, &expect, elapsed: 4, transferring: 2, from: 4)
        },
        Check("a request for the transfer under way is ignored; one for another node replaces it") { parts, expect in
            try compareTransfer(parts, &expect, matches: [3: 2], elapsed: 6, transferring: 3, from: 3)
            try compareTransfer(parts, &expect, matches: [3: 2], elapsed: 6, transferring: 3, from: 2)
            try compareTransfer(parts, &expect, elapsed: 6, transferring: 2, from: 3)
        },
        Check("a transfer to the leader itself is ignored (after abandoning one under way)") { parts, expect in
            try compareTransfer(parts, &expect, elapsed: 6, from: 1)
            try compareTransfer(parts, &expect, elapsed: 6, transferring: 3, from: 1)
        },
        Check("any followers and any request: the same as the library") { parts, expect in
            var rng = SeededRandomNumberGenerator(seed: 91)
            for _ in 0..<200 {
                let matches: [UInt64: UInt64] = [2: UInt64.random(in: 0...4, using: &rng),
                                                 3: UInt64.random(in: 0...4, using: &rng),
                                                 4: UInt64.random(in: 0...4, using: &rng)]
                try compareTransfer(parts, &expect, matches: matches, elapsed: Int.random(in: 0...9, using: &rng),
                                    transferring: [0, 0, 2, 3].randomElement(using: &rng)!,
                                    from: UInt64.random(in: 1...4, using: &rng),
                                    then: Message(type: .msgAppResp, to: 1, from: UInt64.random(in: 2...3, using: &rng),
                                                  term: 2, index: 4))
                if !expect.failures.isEmpty { return }
            }
        },
    ]

    // MARK: 9.2

    static let transferContext = Array(CampaignType.transfer.rawValue.utf8)

    /// Twins of node 1 at term 2 with a log ending at 1/2, knowing `lead` (1: it leads), its clock
    /// at `elapsed`: the learner's rule and the library's, called directly, must agree; then the
    /// request is stepped into twins (the learner's rule plugged into one), which must answer,
    /// or ignore it, alike.
    static func compareLease(_ parts: Parts, _ expect: inout Expectations, checkQuorum: Bool = true, lead: UInt64 = 2,
                             elapsed: Int, type: MessageType = .msgVote, transfer: Bool = false) throws {
        let yours = try parts.require(\.ignoresVoteInLease, "9.2")
        func twin(_ parts: Parts) -> (RaftStateMachine, CapturingLogger) {
            let (r, lines) = Ch02Checks.machine(terms: [1, 1], term: 2, lead: lead == 1 ? 0 : lead, committed: 2,
                                                parts: parts, checkQuorum: checkQuorum)
            if lead == 1 {
                r.becomeCandidate()
                r.becomeLeader()
                r.msgs = []
                r.msgsAfterAppend = []
            }
            r.electionElapsed = elapsed
            lines.clear()
            return (r, lines)
        }
        let term: UInt64 = lead == 1 ? 4 : 3
        let m = Message(type: type, to: 1, from: 3, term: term, logTerm: 2, index: 5,
                        context: transfer ? transferContext : [])
        let (mine, _) = twin(Parts()), (theirs, _) = twin(Parts())
        let setting = "\(Ch02Checks.describeNode(mine)), check-quorum \(checkQuorum ? "on" : "off"), "
            + "electionElapsed=\(elapsed) of electionTimeout=\(theirs.electionTimeout), asked: \(type) from 3 at term "
            + "\(term)\(transfer ? " with context CampaignTransfer" : "")"
        expect.equal(yours(mine, m), theirs.ignoresVoteInLease(m), "ignoresVoteInLease on \(setting)")
        expect.same(F.describe(mine), F.describe(theirs), "after ignoresVoteInLease on \(setting), the node")

        let (a, aLines) = twin(parts), (b, bLines) = twin(Parts())
        var aError: RaftError?, bError: RaftError?
        do { try a.step(m) } catch { aError = error }
        do { try b.step(m) } catch { bError = error }
        let stepping = "\(setting), stepped"
        expect.equal(aError.map { "\($0)" }, bError.map { "\($0)" }, "\(stepping): the error")
        Ch02Checks.sameNode(&expect, a, b, stepping)
        expect.sameLines(aLines, bLines, stepping)
    }

    static let ignoresVoteInLease: [Check] = [
        Check("without check-quorum there is no lease") { parts, expect in
            try compareLease(parts, &expect, checkQuorum: false, elapsed: 0)
            try compareLease(parts, &expect, checkQuorum: false, elapsed: 5, type: .msgPreVote)
            try compareLease(parts, &expect, checkQuorum: false, lead: 1, elapsed: 2)
        },
        Check("with check-quorum, a node that heard from its leader within the election timeout ignores the request") { parts, expect in
            try compareLease(parts, &expect, elapsed: 0)
            try compareLease(parts, &expect, elapsed: 9)
            try compareLease(parts, &expect, elapsed: 4, type: .msgPreVote)
        },
        Check("once an election timeout passes without the leader, the lease is over") { parts, expect in
            try compareLease(parts, &expect, elapsed: 10)
            try compareLease(parts, &expect, elapsed: 17, type: .msgPreVote)
        },
        Check("a node that knows no leader has no lease") { parts, expect in
            try compareLease(parts, &expect, lead: 0, elapsed: 0)
            try compareLease(parts, &expect, lead: 0, elapsed: 3, type: .msgPreVote)
        },
        Check("the leader itself keeps a lease") { parts, expect in
            try compareLease(parts, &expect, lead: 1, elapsed: 3)
            try compareLease(parts, &expect, lead: 1, elapsed: 12)
        },
        Check("a transfer campaign is never ignored") { parts, expect in
            try compareLease(parts, &expect, elapsed: 2, transfer: true)
            try compareLease(parts, &expect, lead: 1, elapsed: 0, transfer: true)
            try compareLease(parts, &expect, elapsed: 12, transfer: true)
        },
        Check("any node and any request: the same as the library") { parts, expect in
            var rng = SeededRandomNumberGenerator(seed: 92)
            for _ in 0..<200 {
                try compareLease(parts, &expect, checkQuorum: Bool.random(using: &rng),
                                 lead: [0, 1, 2].randomElement(using: &rng)!, elapsed: Int.random(in: 0...20, using: &rng),
                                 type: Bool.random(using: &rng) ? .msgVote : .msgPreVote,
                                 transfer: Int.random(in: 0..<3, using: &rng) == 0)
                if !expect.failures.isEmpty { return }
            }
        },
    ]
}
