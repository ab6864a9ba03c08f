import ExerciseSupport
import Raft
import RaftTesting

// Chapter 2's exercises and their checks. The vote rule (2.1) is a pure function and is compared
// with the library's directly. The others run on twin state machines (built alike): the
// learner's function on one, the library's on the other, then both are compared: the result,
// what each shows from outside (role, term, vote, log, messages, progress), and the log lines.

extension Catalog {
    static let ch02 = ChapterExercises(chapter: 2, exercises: [
        Exercise("2.1", "voteResult", replaces: "MajorityConfig.voteResult (Sources/Raft/Quorum/MajorityConfig.swift)",
                 file: "VoteResult.swift", summary: "decide an election from the votes so far",
                 checks: Ch02Checks.voteResult),
        Exercise("2.2", "grantsVote", replaces: "RaftStateMachine.grantsVote (Sources/Raft/Core/RaftStateMachine+Step.swift)",
                 file: "GrantsVote.swift", summary: "whether to give a candidate this node's vote",
                 checks: Ch02Checks.grantsVote),
        Exercise("2.3", "handleVoteResponse",
                 replaces: "RaftStateMachine.handleVoteResponse (Sources/Raft/Core/StepCandidate.swift)",
                 file: "HandleVoteResponse.swift", summary: "a (pre-)candidate counts an answer to its campaign",
                 checks: Ch02Checks.handleVoteResponse),
        Exercise("2.4", "becomeLeader", replaces: "RaftStateMachine.becomeLeader (Sources/Raft/Core/RaftStateMachine+Roles.swift)",
                 file: "BecomeLeader.swift", summary: "a candidate that won takes leadership",
                 checks: Ch02Checks.becomeLeader),
    ])
}

enum Ch02Checks {
    typealias F = Fixtures

    /// Node `id` of a cluster of `voters` (and `learners`), with a log of `terms` (from index 1)
    /// in storage, restarted at `term` having voted for `vote`, then told that `lead` leads. Its
    /// start-up lines are forgotten. Chapter 9's checks build their nodes here too.
    static func machine(id: UInt64 = 1, voters: [UInt64] = [1, 2, 3], learners: [UInt64] = [], terms: [UInt64],
                        term: UInt64, vote: UInt64 = 0, lead: UInt64 = 0, committed: UInt64 = 0,
                        parts: Parts = Parts(), preVote: Bool = false,
                        checkQuorum: Bool = false) -> (RaftStateMachine, CapturingLogger) {
        let logger = CapturingLogger()
        let storage = F.storage(terms: terms, voters: voters, learners: learners,
                                hardState: HardState(term: term, vote: vote, commit: committed))
        let r = F.node(id: id, storage: storage, parts: parts, logger: logger) { c in
            c.preVote = preVote
            c.checkQuorum = checkQuorum
        }.raft
        r.lead = lead
        logger.clear()
        return (r, logger)
    }

    /// A node as a setting describes it: `node 1 (follower term=2 vote=0 lead=0, log ends at 2/3)`.
    static func describeNode(_ r: RaftStateMachine) -> String {
        let last = r.raftLog.lastEntryID()
        return "node \(r.id) (\(r.state) term=\(r.term) vote=\(r.vote) lead=\(r.lead), last entry \(last.term)/\(last.index))"
    }

    /// The messages a node has waiting, one a line: what a failure shows first, as the plainest
    /// sign of what a node did.
    static func messages(_ r: RaftStateMachine) -> String {
        func list(_ kind: String, _ ms: [Message]) -> [String] {
            ms.isEmpty ? ["\(kind): nothing"] : ms.map { m in
                "\(kind): " + m.describe().split(separator: "\n").map { $0.trimmingPrefix(" ") }.joined(separator: " ")
            }
        }
        return (list("send now", r.msgs) + list("send once the log is durable", r.msgsAfterAppend)).joined(separator: "\n")
    }

    /// Twins must have the same messages waiting, then look the same from outside.
    static func sameNode(_ expect: inout Expectations, _ yours: RaftStateMachine, _ reference: RaftStateMachine,
                         _ setting: String) {
        expect.same(messages(yours), messages(reference), "\(setting), the messages")
        expect.same(F.describe(yours), F.describe(reference), setting)
    }

    // MARK: 2.1

    static func showVotes(_ votes: [UInt64: Bool]) -> String {
        "[" + votes.keys.sorted().map { "\($0): \(votes[$0]! ? "yes" : "no")" }.joined(separator: ", ") + "]"
    }

    static func compareVoteResult(_ parts: Parts, _ expect: inout Expectations, _ voters: [UInt64],
                                  _ votes: [UInt64: Bool]) throws {
        let yours = try parts.require(\.voteResult, "2.1")
        let c = MajorityConfig(voters)
        expect.equal(yours(c, votes), c.voteResult(votes), "voteResult(voters \(c), votes \(showVotes(votes)))")
    }

    static let voteResult: [Check] = [
        Check("the empty configuration wins every election") { parts, expect in
            try compareVoteResult(parts, &expect, [], [:])
            try compareVoteResult(parts, &expect, [], [1: false, 2: false])
        },
        Check("more than half of the voters saying yes wins, whatever the others say") { parts, expect in
            try compareVoteResult(parts, &expect, [1], [1: true])
            try compareVoteResult(parts, &expect, [1, 2, 3], [1: true, 3: true])
            try compareVoteResult(parts, &expect, [1, 2, 3], [1: true, 2: false, 3: true])
            try compareVoteResult(parts, &expect, [1, 2, 3, 4, 5], [1: false, 2: true, 3: true, 4: false, 5: true])
        },
        Check("while the missing answers could still make a majority, the election is pending") { parts, expect in
            try compareVoteResult(parts, &expect, [1], [:])
            try compareVoteResult(parts, &expect, [1, 2, 3], [:])
            try compareVoteResult(parts, &expect, [1, 2, 3], [1: true])
            try compareVoteResult(parts, &expect, [1, 2, 3], [1: true, 2: false])
            try compareVoteResult(parts, &expect, [1, 2, 3, 4, 5], [1: false, 2: false, 3: true])
        },
        Check("once a majority of yes is out of reach, the election is lost") { parts, expect in
            try compareVoteResult(parts, &expect, [1], [1: false])
            try compareVoteResult(parts, &expect, [1, 2, 3], [1: false, 3: false])
            try compareVoteResult(parts, &expect, [1, 2, 3, 4, 5], [1: true, 2: false, 4: false, 5: false])
        },
        Check("half of an even number of voters is not a majority") { parts, expect in
            try compareVoteResult(parts, &expect, [1, 2], [1: true])
            try compareVoteResult(parts, &expect, [1, 2], [1: true, 2: false])
            try compareVoteResult(parts, &expect, [1, 2, 3, 4], [1: true, 3: true])
            try compareVoteResult(parts, &expect, [1, 2, 3, 4], [1: true, 2: false, 3: true, 4: false])
            try compareVoteResult(parts, &expect, [1, 2, 3, 4], [1: true, 2: true, 4: true])
        },
        Check("answers from nodes outside the configuration do not count") { parts, expect in
            try compareVoteResult(parts, &expect, [1, 2, 3], [1: true, 4: true, 5: true])
            try compareVoteResult(parts, &expect, [1, 2, 3], [2: false, 3: false, 4: true, 5: true, 6: true])
            try compareVoteResult(parts, &expect, [4, 5, 6], [1: true, 2: true, 4: true])
        },
        Check("any configuration and any votes: the same as the library") { parts, expect in
            var rng = SeededRandomNumberGenerator(seed: 21)
            for _ in 0..<500 {
                let voters = (1...7).filter { _ in Bool.random(using: &rng) }.map { UInt64($0) }
                var votes: [UInt64: Bool] = [:]
                for id in 1...9 where Int.random(in: 0..<3, using: &rng) > 0 {
                    votes[UInt64(id)] = Bool.random(using: &rng)
                }
                try compareVoteResult(parts, &expect, voters, votes)
                if !expect.failures.isEmpty { return }
            }
        },
    ]

    // MARK: 2.2

    /// A vote request as checks write it.
    struct Request: CustomStringConvertible {
        var type: MessageType = .msgVote
        var from: UInt64 = 2
        var term: UInt64
        var lastTerm: UInt64
        var lastIndex: UInt64

        var message: Message {
            Message(type: type, to: 1, from: from, term: term, logTerm: lastTerm, index: lastIndex)
        }

        var description: String {
            "\(type) from \(from) at term \(term), its last entry \(lastTerm)/\(lastIndex)"
        }
    }

    /// The learner's rule and the library's, on node 1 with a log of `terms` at `term` (having
    /// voted for `vote`, knowing `lead`) asked `request`: first called directly on the node as
    /// `step` leaves it when it asks (a vote request of a higher term has made it a follower of
    /// that term), then stepped into twins, which must answer and record the vote alike.
    static func compareGrant(_ parts: Parts, _ expect: inout Expectations, terms: [UInt64], term: UInt64,
                             vote: UInt64 = 0, lead: UInt64 = 0, _ request: Request) throws {
        let yours = try parts.require(\.grantsVote, "2.2")
        let settles = request.type == .msgVote && request.term > term
        func settled() -> RaftStateMachine {
            machine(terms: terms, term: settles ? request.term : term, vote: settles ? 0 : vote,
                    lead: settles ? 0 : lead).0
        }
        let (mine, theirs) = (settled(), settled())
        let m = request.message
        let setting = "\(describeNode(mine)) asked: \(request)"
        expect.equal(yours(mine, m), theirs.grantsVote(m), "grantsVote on \(setting)")
        expect.same(F.describe(mine), F.describe(theirs), "after grantsVote on \(setting), the node")

        let (a, aLines) = machine(terms: terms, term: term, vote: vote, lead: lead, parts: parts)
        let (b, bLines) = machine(terms: terms, term: term, vote: vote, lead: lead)
        let stepping = "\(describeNode(a)) steps \(request)"
        var aError: RaftError?, bError: RaftError?
        do { try a.step(m) } catch { aError = error }
        do { try b.step(m) } catch { bError = error }
        expect.equal(aError.map { "\($0)" }, bError.map { "\($0)" }, "\(stepping): the error")
        sameNode(&expect, a, b, stepping)
        expect.sameLines(aLines, bLines, stepping)
    }

    static let grantsVote: [Check] = [
        Check("a node that has not voted and knows no leader grants a candidate whose log is up to date") { parts, expect in
            try compareGrant(parts, &expect, terms: [1, 1, 2], term: 2, Request(term: 2, lastTerm: 2, lastIndex: 3))
            try compareGrant(parts, &expect, terms: [1, 1, 2], term: 2, Request(term: 2, lastTerm: 2, lastIndex: 5))
            try compareGrant(parts, &expect, terms: [1, 1, 2], term: 2, Request(term: 2, lastTerm: 3, lastIndex: 2))
            try compareGrant(parts, &expect, terms: [1, 1, 2], term: 2, vote: 3, lead: 3,
                             Request(term: 3, lastTerm: 2, lastIndex: 3))
            try compareGrant(parts, &expect, terms: [], term: 0, Request(term: 1, lastTerm: 0, lastIndex: 0))
        },
        Check("a candidate whose log is behind ours is refused") { parts, expect in
            try compareGrant(parts, &expect, terms: [1, 1, 2], term: 2, Request(term: 2, lastTerm: 1, lastIndex: 7))
            try compareGrant(parts, &expect, terms: [1, 1, 2], term: 2, Request(term: 2, lastTerm: 2, lastIndex: 2))
            try compareGrant(parts, &expect, terms: [1, 1, 2], term: 2, Request(term: 3, lastTerm: 0, lastIndex: 0))
            try compareGrant(parts, &expect, terms: [1, 1, 2], term: 2,
                             Request(type: .msgPreVote, term: 3, lastTerm: 1, lastIndex: 9))
        },
        Check("a node votes for at most one candidate per term") { parts, expect in
            try compareGrant(parts, &expect, terms: [1, 1], term: 2, vote: 2, Request(from: 3, term: 2, lastTerm: 1, lastIndex: 2))
            try compareGrant(parts, &expect, terms: [1, 1], term: 2, vote: 1, Request(from: 3, term: 2, lastTerm: 2, lastIndex: 3))
            try compareGrant(parts, &expect, terms: [1, 1], term: 2, vote: 2, Request(from: 2, term: 2, lastTerm: 1, lastIndex: 2))
        },
        Check("a node that knows the leader of its term does not vote for another") { parts, expect in
            try compareGrant(parts, &expect, terms: [1, 1], term: 2, lead: 3, Request(from: 2, term: 2, lastTerm: 2, lastIndex: 3))
            try compareGrant(parts, &expect, terms: [1, 1], term: 2, vote: 3, lead: 3,
                             Request(from: 3, term: 2, lastTerm: 1, lastIndex: 2))
        },
        Check("a pre-vote for a later term is granted even after voting or with a leader, if the log is up to date") { parts, expect in
            try compareGrant(parts, &expect, terms: [1, 1], term: 2, vote: 2, lead: 2,
                             Request(type: .msgPreVote, from: 3, term: 3, lastTerm: 1, lastIndex: 2))
            try compareGrant(parts, &expect, terms: [1, 1], term: 2, vote: 2,
                             Request(type: .msgPreVote, from: 3, term: 2, lastTerm: 1, lastIndex: 2))
            try compareGrant(parts, &expect, terms: [1, 1], term: 2,
                             Request(type: .msgPreVote, from: 3, term: 2, lastTerm: 1, lastIndex: 2))
            try compareGrant(parts, &expect, terms: [1, 2], term: 2, lead: 2,
                             Request(type: .msgPreVote, from: 3, term: 3, lastTerm: 1, lastIndex: 5))
        },
        Check("any node and any request: the same as the library") { parts, expect in
            var rng = SeededRandomNumberGenerator(seed: 22)
            for _ in 0..<300 {
                var t: UInt64 = 0
                let terms = (0..<Int.random(in: 0...4, using: &rng)).map { _ in
                    t += UInt64.random(in: 0...1, using: &rng)
                    return max(t, 1)
                }
                let term = (terms.last ?? 0) + UInt64.random(in: 0...1, using: &rng)
                let vote = term == 0 ? 0 : UInt64.random(in: 0...3, using: &rng)
                let lead = term == 0 ? 0 : [0, 0, vote == 0 ? 3 : vote].randomElement(using: &rng)!
                let request = Request(type: Bool.random(using: &rng) ? .msgVote : .msgPreVote,
                                      from: UInt64.random(in: 2...3, using: &rng),
                                      term: max(1, term + UInt64.random(in: 0...1, using: &rng)),
                                      lastTerm: UInt64.random(in: 0...(term + 1), using: &rng),
                                      lastIndex: UInt64.random(in: 0...5, using: &rng))
                try compareGrant(parts, &expect, terms: terms, term: term, vote: vote, lead: lead, request)
                if !expect.failures.isEmpty { return }
            }
        },
    ]

    // MARK: 2.3

    /// Twins of node 1 (a candidate, or a pre-candidate with `preVote`), in a cluster of
    /// `voters`, each fed the same answers one by one: the learner's function on one, the
    /// library's on the other, compared after every answer. The answers are `(from, granted)`;
    /// their type and term are those of the campaign the library's twin is in, so a pre-candidate
    /// that wins goes on to count the answers of its real election.
    static func compareVoteResponses(_ parts: Parts, _ expect: inout Expectations, voters: [UInt64] = [1, 2, 3],
                                     preVote: Bool = false, _ answers: [(UInt64, Bool)]) throws {
        let yours = try parts.require(\.handleVoteResponse, "2.3")
        func twin() -> (RaftStateMachine, CapturingLogger) {
            let (r, lines) = machine(voters: voters, terms: [1, 1], term: 1, committed: 2, preVote: preVote)
            r.campaign(preVote ? .preElection : .election)
            r.msgs = []
            r.msgsAfterAppend = []
            lines.clear()
            return (r, lines)
        }
        let (mine, myLines) = twin(), (theirs, theirLines) = twin()
        var said: [String] = []
        for (from, granted) in answers {
            guard theirs.state == .candidate || theirs.state == .preCandidate else { return }
            let pre = theirs.state == .preCandidate
            let m = Message(type: pre ? .msgPreVoteResp : .msgVoteResp, to: 1, from: from,
                            term: pre ? theirs.term + 1 : theirs.term, reject: !granted)
            said.append("\(m.type) \(granted ? "granted" : "rejected") by \(from)")
            let setting = "\(voters.count) voters, node 1 a \(pre ? "pre-candidate" : "candidate"), after "
                + said.joined(separator: ", ")
            yours(mine, m)
            theirs.handleVoteResponse(m)
            sameNode(&expect, mine, theirs, setting)
            expect.sameLines(myLines, theirLines, setting)
            if !expect.failures.isEmpty { return }
        }
    }

    static let handleVoteResponse: [Check] = [
        Check("each answer is counted and logged; without a majority either way, the campaign waits") { parts, expect in
            try compareVoteResponses(parts, &expect, [(1, true)])
            try compareVoteResponses(parts, &expect, [(1, true), (2, false)])
            try compareVoteResponses(parts, &expect, voters: [1, 2, 3, 4, 5], [(1, true), (2, false), (3, true), (4, false)])
            try compareVoteResponses(parts, &expect, preVote: true, [(1, true), (3, false)])
        },
        Check("a candidate that wins becomes leader and sends its appends at once") { parts, expect in
            try compareVoteResponses(parts, &expect, [(1, true), (2, true)])
            try compareVoteResponses(parts, &expect, [(3, true), (2, false), (1, true)])
            try compareVoteResponses(parts, &expect, voters: [1, 2, 3, 4, 5], [(1, true), (2, false), (3, true), (5, true)])
            try compareVoteResponses(parts, &expect, voters: [1], [(1, true)])
        },
        Check("a pre-candidate that wins its pre-vote starts the real election") { parts, expect in
            try compareVoteResponses(parts, &expect, preVote: true, [(1, true), (3, true)])
            try compareVoteResponses(parts, &expect, preVote: true, [(1, true), (2, false), (3, true), (1, true), (2, true)])
            try compareVoteResponses(parts, &expect, voters: [1], preVote: true, [(1, true), (1, true)])
        },
        Check("a lost campaign goes back to following, with no leader, in the node's own term") { parts, expect in
            try compareVoteResponses(parts, &expect, [(1, true), (2, false), (3, false)])
            try compareVoteResponses(parts, &expect, voters: [1, 2, 3, 4, 5], [(2, false), (3, false), (4, false)])
            try compareVoteResponses(parts, &expect, preVote: true, [(1, true), (2, false), (3, false)])
        },
        Check("an answer from a voter that already answered changes nothing") { parts, expect in
            try compareVoteResponses(parts, &expect, [(1, true), (2, false), (2, true)])
            try compareVoteResponses(parts, &expect, voters: [1, 2, 3, 4, 5], [(1, true), (2, true), (2, true), (3, false)])
        },
        Check("any campaign and any answers: the same as the library") { parts, expect in
            var rng = SeededRandomNumberGenerator(seed: 23)
            for _ in 0..<200 {
                let voters = (1...UInt64.random(in: 1...5, using: &rng)).map { $0 }
                let answers = (0..<Int.random(in: 1...8, using: &rng)).map { _ in
                    (voters.randomElement(using: &rng)!, Int.random(in: 0..<3, using: &rng) > 0)
                }
                try compareVoteResponses(parts, &expect, voters: voters, preVote: Bool.random(using: &rng), answers)
                if !expect.failures.isEmpty { return }
            }
        },
    ]

    // MARK: 2.4

    /// What `reset(term:)` clears, and the leader's own settings, beyond `Fixtures.describe`.
    static func describeTerm(_ r: RaftStateMachine) -> String {
        "electionElapsed=\(r.electionElapsed) heartbeatElapsed=\(r.heartbeatElapsed) "
            + "randomizedElectionTimeout=\(r.randomizedElectionTimeout) votes=\(showVotes(r.trk.votes)) "
            + "uncommittedSize=\(r.uncommittedSize) transferee=\(r.leadTransferee)\nprogress:\n"
            + r.trk.progress.progressDescription
    }

    /// Twins of node 1, a candidate that has just won an election in a cluster of `voters` with a
    /// log of `terms` committed up to `committed`, with some state of its campaign left over
    /// (votes counted, timers running, a stale view of a follower). The learner's `becomeLeader`
    /// runs on one, the library's on the other; then `after` runs on both (`nil` when nothing is
    /// compared after it).
    static func compareBecomeLeader(_ parts: Parts, _ expect: inout Expectations, voters: [UInt64] = [1, 2, 3],
                                    terms: [UInt64] = [1, 1], committed: UInt64 = 1,
                                    show: (RaftStateMachine) -> String,
                                    then after: (name: String, run: (RaftStateMachine) throws(RaftError) -> Void)? = nil) throws {
        let yours = try parts.require(\.becomeLeader, "2.4")
        func twin() -> (RaftStateMachine, CapturingLogger) {
            let (r, lines) = machine(voters: voters, terms: terms, term: terms.last ?? 0, committed: committed)
            r.becomeCandidate()
            for id in voters.prefix(voters.count / 2 + 1) { r.trk.recordVote(id, true) }
            if let last = voters.last, last != 1 { r.trk.recordVote(last, false) }
            r.electionElapsed = 3
            r.heartbeatElapsed = 2
            if let pr = r.trk.progress[voters.last ?? 1], voters.count > 1 {
                pr.match = 1
                pr.next = 2
            }
            r.msgs = []
            r.msgsAfterAppend = []
            lines.clear()
            return (r, lines)
        }
        let (mine, myLines) = twin(), (theirs, theirLines) = twin()
        let setting = "a candidate of \(voters.count) voters whose log ends at "
            + "\(theirs.raftLog.lastEntryID().term)/\(theirs.raftLog.lastIndex()) (committed \(committed)) becomes leader"
        yours(mine)
        theirs.becomeLeader()
        expect.same(show(mine), show(theirs), setting)
        expect.sameLines(myLines, theirLines, setting)
        guard let after, expect.failures.isEmpty else { return }
        myLines.clear()
        theirLines.clear()
        var myError: RaftError?, theirError: RaftError?
        do { try after.run(mine) } catch { myError = error }
        do { try after.run(theirs) } catch { theirError = error }
        let then = "\(setting), then \(after.name)"
        expect.equal(myError.map { "\($0)" }, theirError.map { "\($0)" }, "\(then): the error")
        sameNode(&expect, mine, theirs, then)
        expect.sameLines(myLines, theirLines, then)
    }

    static func role(_ r: RaftStateMachine) -> String {
        "\(r.state) term=\(r.term) vote=\(r.vote) lead=\(r.lead) \(F.describe(r.raftLog))"
    }

    static func proposeConfChange(_ r: RaftStateMachine) throws(RaftError) {
        let (type, data) = marshalConfChange(ConfChangeV2(changes: [ConfChangeSingle(type: .confChangeAddLearnerNode, nodeID: 4)]))
        try r.step(Message(type: .msgProp, from: 1, entries: [Entry(type: type, data: data)]))
    }

    static let becomeLeader: [Check] = [
        Check("the new leader appends an empty entry of its term after its log, and says so as etcd does") { parts, expect in
            try compareBecomeLeader(parts, &expect, show: role)
            try compareBecomeLeader(parts, &expect, terms: [1, 2, 2, 3], committed: 2, show: role)
            try compareBecomeLeader(parts, &expect, voters: [1], terms: [], committed: 0, show: role)
        },
        Check("the term's state starts afresh: votes, timers, progress; its own progress replicates and is active") { parts, expect in
            try compareBecomeLeader(parts, &expect, show: describeTerm)
            try compareBecomeLeader(parts, &expect, voters: [1, 2, 3, 4, 5], terms: [1, 2, 2], show: describeTerm)
        },
        Check("a new leader assumes a conf change may be pending up to its last index") { parts, expect in
            try compareBecomeLeader(parts, &expect, terms: [1, 1, 1], committed: 1, show: { "pendingConfIndex=\($0.pendingConfIndex)" },
                                    then: ("is asked to add a learner (a conf change)", proposeConfChange))
            try compareBecomeLeader(parts, &expect, terms: [1, 2], committed: 2, show: { "pendingConfIndex=\($0.pendingConfIndex)" },
                                    then: ("is asked to add a learner (a conf change)", proposeConfChange))
        },
        Check("the leader steps as a leader: a proposal is appended and sent") { parts, expect in
            try compareBecomeLeader(parts, &expect, show: role, then: ("is asked to append x", { r throws(RaftError) in
                try r.step(Message(type: .msgProp, from: 1, entries: [Entry(data: Array("x".utf8))]))
            }))
            try compareBecomeLeader(parts, &expect, show: role, then: ("hears a heartbeat response from 2", { r throws(RaftError) in
                try r.step(Message(type: .msgHeartbeatResp, to: 1, from: 2, term: r.term))
            }))
        },
        Check("the leader ticks heartbeats, not elections") { parts, expect in
            try compareBecomeLeader(parts, &expect, show: role, then: ("ticks once", { r throws(RaftError) in r.tick() }))
            try compareBecomeLeader(parts, &expect, show: role, then: ("ticks 25 times", { r throws(RaftError) in
                for _ in 0..<25 { r.tick() }
            }))
        },
        Check("any log and any cluster: the same as the library") { parts, expect in
            var rng = SeededRandomNumberGenerator(seed: 24)
            for _ in 0..<100 {
                let voters = (1...UInt64.random(in: 1...5, using: &rng)).map { $0 }
                var t: UInt64 = 1
                let terms = (0..<Int.random(in: 0...5, using: &rng)).map { _ in
                    t += UInt64.random(in: 0...1, using: &rng)
                    return t
                }
                let committed = UInt64.random(in: 0...UInt64(terms.count), using: &rng)
                try compareBecomeLeader(parts, &expect, voters: voters, terms: terms, committed: committed,
                                        show: { F.describe($0) + "\n" + describeTerm($0) },
                                        then: ("is asked to append x and ticks 12 times", { r throws(RaftError) in
                    try r.step(Message(type: .msgProp, from: 1, entries: [Entry(data: Array("x".utf8))]))
                    for _ in 0..<12 { r.tick() }
                }))
                if !expect.failures.isEmpty { return }
            }
        },
    ]
}
