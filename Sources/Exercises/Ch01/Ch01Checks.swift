import Dispatch
import ExerciseSupport
import Raft
import RaftTesting
import RaftSupport

// Chapter 1's exercises and their checks. The step filter (1.1) runs on twins of a RawNode and is
// compared with the library's; the two pieces of `Node`'s loop (1.2, 1.3) run on twins of the
// loop's memory and a RawNode, and then inside a real cluster of `Node` actors (etcd's
// transcripts and the simulator drive RawNodes, never `Node`, so they cannot judge these two).

extension Catalog {
    static let ch01 = ChapterExercises(chapter: 1, exercises: [
        Exercise("1.1", "checkPeerMessage", replaces: "RawNode.checkPeerMessage (Sources/Raft/RawNode/RawNode.swift)",
                 file: "CheckPeerMessage.swift", summary: "what RawNode.step refuses from the network",
                 checks: Ch01Checks.checkPeerMessage),
        Exercise("1.2", "observeLeader", replaces: "NodeLoop.observeLeader (Sources/Raft/Node/NodeLoop.swift)",
                 file: "ObserveLeader.swift", summary: "proposals wait for a leader",
                 checks: Ch01Checks.observeLeader),
        Exercise("1.3", "takeReady", replaces: "NodeLoop.takeReady (Sources/Raft/Node/NodeLoop.swift)",
                 file: "TakeReady.swift", summary: "one Ready at a time, until it is advanced",
                 checks: Ch01Checks.takeReady),
    ])
}

enum Ch01Checks {
    typealias F = Fixtures

    // MARK: Shared fixtures (chapter 3 uses them too)

    /// A node's bookkeeping of the Ready handshake and its state machine: what two twins that
    /// behaved alike show alike.
    static func describe(_ raw: RawNode) -> String {
        let log = raw.raft.raftLog
        var out = "prevSoftState: \(raw.prevSoftState), prevHardState: \(raw.prevHardState)\n"
        if raw.stepsOnAdvance.isEmpty { out += "stepsOnAdvance: none\n" }
        for (k, m) in raw.stepsOnAdvance.enumerated() { out += "stepsOnAdvance[\(k)]: \(m.describe())\n" }
        out += "applying=\(log.applying) applied=\(log.applied)\n"
        return out + F.describe(raw.raft) + "\nhasReady: \(raw.hasReady())"
    }

    /// The loop's memory, as checks compare it.
    static func describe(_ loop: NodeLoop) -> String {
        "NodeLoop(observedLead: \(loop.observedLead), acceptsProposals: \(loop.acceptsProposals), "
            + "awaitingAdvance: \(loop.awaitingAdvance), applyingOutstanding: \(loop.applyingOutstanding))"
    }

    /// Node 1 of voters (1, 2, 3), a follower at term 1 that knows no leader, with entries 1/1 to
    /// 1/3 stored, committed and applied: nothing to do until something happens.
    static func quietFollower(parts: Parts = Parts(), logger: any Logger = DiscardLogger(),
                              async: Bool = false) -> RawNode {
        F.node(id: 1, storage: F.storage(terms: [1, 1, 1], hardState: HardState(term: 1, commit: 3)),
               parts: parts, logger: logger) {
            $0.applied = 3
            $0.asyncStorageWrites = async
        }
    }

    /// Leader 2's heartbeat to node 1 at term 1.
    static let heartbeat = Message(type: .msgHeartbeat, to: 1, from: 2, term: 1, commit: 3)
    /// Leader 2's append of 1/4 and 1/5 to node 1, committing 1/4.
    static let append = Message(type: .msgApp, to: 1, from: 2, term: 1, logTerm: 1, index: 3,
                                entries: F.entries(from: 4, terms: [1, 1]), commit: 4)

    /// Steps `m` into `raw`, which must take it (a fixture's message).
    static func step(_ raw: RawNode, _ m: Message) {
        do { try raw.step(m) } catch { preconditionFailure("fixture step \(m.describe()): \(error)") }
    }

    // MARK: 1.1

    static func show(_ error: RaftError?) -> String {
        switch error {
        case nil: "passes"
        case .stepLocalMsg: "throws .stepLocalMsg"
        case .stepPeerNotFound: "throws .stepPeerNotFound"
        case .proposalDropped: "throws .proposalDropped"
        case .stopped: "throws .stopped"
        case .invalidMessage(let reason): "throws .invalidMessage(\"\(reason)\")"
        case let other?: "throws \(other)"
        }
    }

    /// Runs the learner's and the library's check of `m` on twins of node 1 (voters 1, 2, 3), and
    /// compares the verdicts and what was left behind (a check must not change the node).
    static func compareCheck(_ parts: Parts, _ expect: inout Expectations, _ m: Message) throws {
        let yours = try parts.require(\.checkPeerMessage, "1.1")
        let mine = quietFollower(), theirs = quietFollower()
        var myError: RaftError?, theirError: RaftError?
        do { try yours(mine, m) } catch { myError = error }
        do { try theirs.checkPeerMessage(m) } catch { theirError = error }
        let setting = "checkPeerMessage(node 1 of voters (1,2,3), \(m.describe()))"
        expect.equal(show(myError), show(theirError), setting)
        expect.same(describe(mine), describe(theirs), "after \(setting), the node")
    }

    static let checkPeerMessage: [Check] = [
        Check("local message types from the network are refused") { parts, expect in
            for type in MessageType.allCases where type.isLocal {
                try compareCheck(parts, &expect, Message(type: type, to: 1, from: 2, term: 1))
            }
            // Local first: an unreachable report is also a response, from a non-member here.
            try compareCheck(parts, &expect, Message(type: .msgUnreachable, to: 1, from: 9, term: 1))
            try compareCheck(parts, &expect, Message(type: .msgHup, to: 1, from: PeerID.none))
        },
        Check("this node's storage threads may send their local messages") { parts, expect in
            for type: MessageType in [.msgStorageAppendResp, .msgStorageAppend] {
                try compareCheck(parts, &expect, Message(type: type, to: 1, from: PeerID.localAppendThread, term: 1))
            }
            for type: MessageType in [.msgStorageApplyResp, .msgStorageApply] {
                try compareCheck(parts, &expect, Message(type: type, to: 1, from: PeerID.localApplyThread))
            }
        },
        Check("a response from a node outside the configuration is refused") { parts, expect in
            for type in MessageType.allCases where type.isResponse && !type.isLocal {
                try compareCheck(parts, &expect, Message(type: type, to: 1, from: 4, term: 1))
                try compareCheck(parts, &expect, Message(type: type, to: 1, from: 2, term: 1))
            }
            try compareCheck(parts, &expect, Message(type: .msgAppResp, to: 1, from: PeerID.none, term: 1))
        },
        Check("requests from a node outside the configuration pass") { parts, expect in
            for type in MessageType.allCases where !type.isResponse && !type.isLocal {
                try compareCheck(parts, &expect, Message(type: type, to: 1, from: 4, term: 2))
            }
            try compareCheck(parts, &expect, Message(type: .msgApp, to: 1, from: 4, term: 2, logTerm: 1, index: 3,
                                                     entries: F.entries(from: 4, terms: [2]), commit: 3))
        },
        Check("a message of a kind always sent with a term is refused without one") { parts, expect in
            for type in MessageType.allCases where !type.isLocal {
                try compareCheck(parts, &expect, Message(type: type, to: 1, from: 2, term: 0))
            }
            // A response from a non-member is refused as such first.
            try compareCheck(parts, &expect, Message(type: .msgHeartbeatResp, to: 1, from: 4, term: 0))
        },
        Check("any message type from any sender: the same as the library") { parts, expect in
            var rng = SeededRandomNumberGenerator(seed: 11)
            let senders: [UInt64] = [PeerID.none, 1, 2, 3, 4, 9, PeerID.localAppendThread, PeerID.localApplyThread]
            for _ in 0..<400 {
                let type = MessageType.allCases.randomElement(using: &rng) ?? .msgApp
                let from = senders.randomElement(using: &rng) ?? 2
                try compareCheck(parts, &expect, Message(type: type, to: 1, from: from,
                                                         term: UInt64.random(in: 0...2, using: &rng)))
                if !expect.failures.isEmpty { return }
            }
        },
    ]

    // MARK: 1.2

    /// Runs the learner's and the library's `observeLeader` on twins: a loop that last saw
    /// `observed` (letting proposals go or not), and node 1's state machine at `term` with leader
    /// `lead`. Compares the answer, the loop afterwards and the log lines.
    static func compareObserve(_ parts: Parts, _ expect: inout Expectations, observed: UInt64, accepts: Bool,
                               lead: UInt64, term: UInt64 = 3) throws {
        let yours = try parts.require(\.observeLeader, "1.2")
        var loop = NodeLoop()
        loop.observedLead = observed
        loop.acceptsProposals = accepts
        func twin() -> (RaftStateMachine, CapturingLogger) {
            let logger = CapturingLogger()
            let r = quietFollower(logger: logger).raft
            r.term = term
            r.lead = lead
            logger.clear()
            return (r, logger)
        }
        let (mine, myLines) = twin(), (theirs, theirLines) = twin()
        var myLoop = loop, theirLoop = loop
        let setting = "observeLeader(\(describe(loop)), r: node 1 at term \(term) with lead \(lead))"
        let myAnswer = yours(&myLoop, mine)
        let theirAnswer = theirLoop.observeLeader(theirs)
        expect.equal(myAnswer, theirAnswer, "\(setting), the answer (may the waiting proposals go?)")
        expect.same(describe(myLoop), describe(theirLoop), "after \(setting), the loop")
        expect.sameLines(myLines, theirLines, setting)
    }

    static let observeLeader: [Check] = [
        Check("while the leader stays the same, nothing happens") { parts, expect in
            try compareObserve(parts, &expect, observed: 2, accepts: true, lead: 2)
            try compareObserve(parts, &expect, observed: PeerID.none, accepts: false, lead: PeerID.none)
            // A node removed from the configuration stays blocked until the leader changes.
            try compareObserve(parts, &expect, observed: 2, accepts: false, lead: 2)
        },
        Check("when a leader appears, proposals may go and the waiting ones are woken") { parts, expect in
            try compareObserve(parts, &expect, observed: PeerID.none, accepts: false, lead: 2)
            try compareObserve(parts, &expect, observed: PeerID.none, accepts: false, lead: 1, term: 7)
        },
        Check("when the leader changes, proposals may go again, even after a removal") { parts, expect in
            try compareObserve(parts, &expect, observed: 2, accepts: true, lead: 3)
            try compareObserve(parts, &expect, observed: 3, accepts: false, lead: 2, term: 4)
            try compareObserve(parts, &expect, observed: 0x1a, accepts: true, lead: 0xb, term: 12)
        },
        Check("when the leader is lost, proposals wait again and nobody is woken") { parts, expect in
            try compareObserve(parts, &expect, observed: 2, accepts: true, lead: PeerID.none)
            try compareObserve(parts, &expect, observed: 1, accepts: true, lead: PeerID.none, term: 5)
        },
        Check("any sequence of leaders: the same as the library") { parts, expect in
            let yours = try parts.require(\.observeLeader, "1.2")
            var rng = SeededRandomNumberGenerator(seed: 12)
            let myLines = CapturingLogger(), theirLines = CapturingLogger()
            let mine = quietFollower(logger: myLines).raft, theirs = quietFollower(logger: theirLines).raft
            myLines.clear()
            theirLines.clear()
            var myLoop = NodeLoop(), theirLoop = NodeLoop()
            var history: [String] = []
            for _ in 0..<300 {
                let lead: UInt64 = [PeerID.none, 1, 2, 3].randomElement(using: &rng) ?? 0
                if Bool.random(using: &rng) { mine.term += 1 }
                theirs.term = mine.term
                mine.lead = lead
                theirs.lead = lead
                if UInt64.random(in: 0..<10, using: &rng) == 0 {
                    // Node.applyConfChange: this node was removed from the configuration.
                    myLoop.acceptsProposals = false
                    theirLoop.acceptsProposals = false
                    history.append("removed")
                }
                history.append("lead \(lead) at term \(mine.term)")
                let setting = "after " + history.suffix(4).joined(separator: ", ")
                expect.equal(yours(&myLoop, mine), theirLoop.observeLeader(theirs), "\(setting): the answer")
                expect.same(describe(myLoop), describe(theirLoop), "\(setting): the loop")
                expect.sameLines(myLines, theirLines, setting)
                if !expect.failures.isEmpty { return }
            }
        },
        Check("a cluster of Nodes: proposals made before the election wait for it, then apply everywhere in order") { parts, expect in
            runCluster(parts, &expect, proposalsBeforeElection: true)
        },
        Check("a cluster of Nodes: a follower that forgets its leader holds proposals until it hears from one") { parts, expect in
            runCluster(parts, &expect, proposalsBeforeElection: false, forgetLeader: true)
        },
    ]

    // MARK: 1.3

    /// The scenario of a 1.3 twin: how to bring node 1 to the state it starts from.
    struct TakeSetting {
        var what: String
        var async = false
        var awaiting = false
        var steps: [Message] = []
    }

    /// Runs the learner's and the library's `takeReady` on twins, each with its own loop, and
    /// compares the Ready, the loop and the node. Returns the learner's loop and node and the
    /// library's, to go on with.
    @discardableResult
    static func compareTake(_ parts: Parts, _ expect: inout Expectations, _ s: TakeSetting,
                            on twins: (mine: (NodeLoop, RawNode), theirs: (NodeLoop, RawNode))? = nil,
                            then: String = "") throws -> (mine: (NodeLoop, RawNode), theirs: (NodeLoop, RawNode)) {
        let yours = try parts.require(\.takeReady, "1.3")
        func twin() -> (NodeLoop, RawNode) {
            let raw = quietFollower(async: s.async)
            for m in s.steps { step(raw, m) }
            var loop = NodeLoop()
            loop.awaitingAdvance = s.awaiting
            return (loop, raw)
        }
        var (myLoop, mine) = twins?.mine ?? twin()
        var (theirLoop, theirs) = twins?.theirs ?? twin()
        let setting = "takeReady(\(describe(myLoop)), node 1: \(s.what)\(then))"
        let myReady = yours(&myLoop, mine)
        let theirReady = theirLoop.takeReady(theirs)
        expect.same(myReady?.describe() ?? "nil", theirReady?.describe() ?? "nil", "\(setting), the Ready")
        expect.same(describe(myLoop), describe(theirLoop), "after \(setting), the loop")
        expect.same(describe(mine), describe(theirs), "after \(setting), the node")
        return ((myLoop, mine), (theirLoop, theirs))
    }

    static let takeReady: [Check] = [
        Check("nothing to do: no Ready, and the node is left alone") { parts, expect in
            try compareTake(parts, &expect, TakeSetting(what: "nothing happened"))
            try compareTake(parts, &expect, TakeSetting(what: "nothing happened", awaiting: true))
        },
        Check("a Ready handed out awaits its advance") { parts, expect in
            try compareTake(parts, &expect, TakeSetting(what: "took a heartbeat", steps: [heartbeat]))
            try compareTake(parts, &expect, TakeSetting(what: "took an append", steps: [append]))
        },
        Check("whether the Ready carries entries to apply is remembered") { parts, expect in
            try compareTake(parts, &expect, TakeSetting(what: "took an append that commits 1/4", steps: [append]))
            var noCommit = append
            noCommit.commit = 3
            try compareTake(parts, &expect, TakeSetting(what: "took an append that commits nothing", steps: [noCommit]))
        },
        Check("no second Ready is handed out before the first is advanced") { parts, expect in
            // Raft has work, but the last Ready was not advanced yet.
            try compareTake(parts, &expect, TakeSetting(what: "took a heartbeat", awaiting: true, steps: [heartbeat]))
            if !expect.failures.isEmpty { return }
            // Hand out one, take another heartbeat, ask again; advance as Node does, ask again.
            let s = TakeSetting(what: "took a heartbeat", steps: [heartbeat])
            var twins = try compareTake(parts, &expect, s)
            if !expect.failures.isEmpty { return }
            step(twins.mine.1, heartbeat)
            step(twins.theirs.1, heartbeat)
            twins = try compareTake(parts, &expect, s, on: twins, then: ", handed out its Ready, took another heartbeat")
            if !expect.failures.isEmpty { return }
            // What Node.advance() does.
            func advanced(_ twin: (NodeLoop, RawNode)) -> (NodeLoop, RawNode) {
                var loop = twin.0
                loop.awaitingAdvance = false
                loop.applyingOutstanding = false
                twin.1.advance(Ready())
                return (loop, twin.1)
            }
            twins = (advanced(twins.mine), advanced(twins.theirs))
            try compareTake(parts, &expect, s, on: twins,
                            then: ", handed out its Ready, took another heartbeat, was advanced")
        },
        Check("with asynchronous storage writes no Ready awaits an advance") { parts, expect in
            let s = TakeSetting(what: "writes storage asynchronously, took an append", async: true, steps: [append])
            var twins = try compareTake(parts, &expect, s)
            if !expect.failures.isEmpty { return }
            step(twins.mine.1, heartbeat)
            step(twins.theirs.1, heartbeat)
            twins = try compareTake(parts, &expect, s, on: twins, then: ", handed out its Ready, took a heartbeat")
        },
        Check("a cluster of Nodes: a leader is elected, and proposals apply everywhere in order") { parts, expect in
            runCluster(parts, &expect, proposalsBeforeElection: false)
        },
    ]

    // MARK: A cluster of Nodes

    /// What a cluster run found: nil when all went well.
    final class Outcome: Sendable {
        let failure = Locked<String?>(nil)
        let finished = Locked(false)
        let done = DispatchSemaphore(value: 0)
    }

    /// Counts finished proposals and keeps the first failure.
    final class Proposals: Sendable {
        let state = Locked<(returned: Int, failures: [String])>((0, []))

        func propose(_ node: Node, _ payload: String) -> Task<Void, Never> {
            Task {
                do {
                    try await node.propose(Array(payload.utf8))
                    state.withLock { $0.returned += 1 }
                } catch {
                    state.withLock { $0.failures.append("propose(\"\(payload)\") threw \(error)") }
                }
            }
        }

        var returned: Int { state.withLock { $0.returned } }
        var failures: [String] { state.withLock { $0.failures } }
    }

    /// How long a cluster run may wait for anything before it calls it a failure. Generous: it only
    /// turns a hang into a verdict.
    static let patience: Duration = .seconds(20)

    /// Runs a real cluster of three `Node` actors (RaftTesting's `LocalCluster`: each with its
    /// application loop, connected by an in-process network) with `parts` plugged into every
    /// node: elects a leader by ticking, proposes from every node, and requires every node to
    /// apply every proposal once, in the same order.
    ///
    /// - `proposalsBeforeElection`: half the proposals start before any leader is known (they
    ///   must wait for it, then go).
    /// - `forgetLeader`: at the end a follower forgets its leader and proposes; the proposal must
    ///   wait (not fail) until the follower hears from the leader again.
    static func runCluster(_ parts: Parts, _ expect: inout Expectations, proposalsBeforeElection: Bool,
                           forgetLeader: Bool = false) {
        let outcome = Outcome()
        Task {
            let failure: String?
            do {
                let cluster = try LocalCluster.start(ids: [1, 2, 3], configure: { $0.parts = parts })
                do {
                    failure = try await clusterStory(cluster, proposalsBeforeElection: proposalsBeforeElection,
                                                     forgetLeader: forgetLeader)
                } catch {
                    failure = "\(error)"
                }
                await cluster.stop()
            } catch {
                failure = "the cluster did not start: \(error)"
            }
            outcome.failure.withLock { $0 = failure }
            outcome.finished.withLock { $0 = true }
            outcome.done.signal()
        }
        let limit = 4 * Int(patience.components.seconds)
        if outcome.done.wait(timeout: .now() + .seconds(limit)) == .timedOut {
            expect.require(false, "the cluster was still running after \(limit) s (something waits forever)")
            return
        }
        let failure = outcome.failure.withLock { $0 }
        expect.require(failure == nil, failure ?? "")
    }

    /// The cluster's story; returns what went wrong, or nil.
    static func clusterStory(_ cluster: LocalCluster, proposalsBeforeElection: Bool,
                             forgetLeader: Bool) async throws -> String? {
        let proposals = Proposals()
        var payloads: [String] = []
        func proposeEverywhere(_ round: String, count: Int) {
            for k in 0..<count {
                for id in cluster.ids {
                    let payload = "\(round)-\(id)-\(k)"
                    payloads.append(payload)
                    _ = proposals.propose(cluster.node(id), payload)
                }
            }
        }
        if proposalsBeforeElection {
            proposeEverywhere("early", count: 5)
            // They wait: with no leader known, none of them may reach raft (a follower would drop it).
            try await Task.sleep(for: .milliseconds(100))
            if let failure = proposals.failures.first {
                return "a proposal made while no leader was known failed at once, where it must wait for a leader: \(failure)"
            }
            if proposals.returned > 0 {
                return "\(proposals.returned) proposals returned while no leader was known: they must wait for one"
            }
        }
        let leader: UInt64
        do {
            leader = try await cluster.waitForLeader(ticking: true, timeout: patience)
        } catch {
            return "no leader was elected within \(patience.components.seconds) s of ticking (a node campaigns only "
                + "once raft knows it applied its first Ready, which advance() reports)"
        }
        if proposalsBeforeElection {
            do {
                try await cluster.waitUntil("the early proposals", ticking: true, timeout: patience) {
                    proposals.returned + proposals.failures.count == payloads.count
                }
            } catch {
                return "node \(leader) was elected, yet after \(patience.components.seconds) s only \(proposals.returned) of the "
                    + "\(payloads.count) proposals made before the election had returned: the ones waiting for a "
                    + "leader were never let go"
            }
        }
        proposeEverywhere("late", count: 5)
        do {
            try await cluster.waitUntil("every proposal applied", ticking: true, timeout: patience) {
                proposals.returned + proposals.failures.count == payloads.count
                    && cluster.ids.allSatisfy { cluster.appliedData($0).count >= proposals.returned }
            }
        } catch {
            let applied = cluster.ids.map { "node \($0) applied \(cluster.appliedData($0).count)" }
            return "after \(patience.components.seconds) s, \(proposals.returned) of \(payloads.count) proposals had "
                + "returned; \(applied.joined(separator: ", "))"
        }
        if let failure = proposals.failures.first { return "with a leader known, \(failure)" }
        if let verdict = sameAppliedEverywhere(cluster, payloads) { return verdict }
        if forgetLeader {
            return try await forgetTheLeader(cluster, leader: leader, payloads: payloads)
        }
        return cluster.problems.first.map { "the application reported: \($0)" }
    }

    /// Every node applied exactly `payloads`, each once, in the same order.
    static func sameAppliedEverywhere(_ cluster: LocalCluster, _ payloads: [String]) -> String? {
        let first = cluster.appliedData(cluster.ids[0]).map { String(decoding: $0, as: UTF8.self) }
        if first.sorted() != payloads.sorted() {
            let missing = Set(payloads).subtracting(first).sorted()
            let duplicated = Dictionary(grouping: first, by: { $0 }).filter { $1.count > 1 }.keys.sorted()
            return "node \(cluster.ids[0]) applied \(first.count) entries for \(payloads.count) proposals"
                + (missing.isEmpty ? "" : "; missing: \(missing.prefix(5))")
                + (duplicated.isEmpty ? "" : "; applied twice: \(duplicated.prefix(5))")
        }
        for id in cluster.ids.dropFirst() {
            let theirs = cluster.appliedData(id).map { String(decoding: $0, as: UTF8.self) }
            if theirs != first {
                let k = zip(theirs, first).prefix { $0 == $1 }.count
                return "node \(id) applied another sequence than node \(cluster.ids[0]): at position \(k + 1), "
                    + "\(k < theirs.count ? theirs[k] : "nothing") instead of \(k < first.count ? first[k] : "nothing")"
            }
        }
        return nil
    }

    /// A follower forgets its leader, then proposes: the proposal must wait until the follower
    /// hears from the leader again (ticks bring a heartbeat), then commit.
    static func forgetTheLeader(_ cluster: LocalCluster, leader: UInt64, payloads: [String]) async throws -> String? {
        // Let the network go quiet: no ticks, so no heartbeats that would name the leader again.
        try await Task.sleep(for: .milliseconds(100))
        guard let follower = cluster.ids.first(where: { $0 != leader }) else { return nil }
        let node = cluster.node(follower)
        try await node.forgetLeader()
        let proposals = Proposals()
        _ = proposals.propose(node, "after-forgetting")
        try await Task.sleep(for: .milliseconds(200))
        if let failure = proposals.failures.first {
            return "node \(follower) forgot its leader, then \(failure), where it must wait until it hears from a leader again"
        }
        if proposals.returned > 0 {
            let lead = try await node.status().softState.lead
            if lead == PeerID.none {
                return "node \(follower) forgot its leader, yet its proposal returned while it knew no leader"
            }
        }
        do {
            try await cluster.waitUntil("the proposal after forgetting", ticking: true, timeout: patience) {
                proposals.returned + proposals.failures.count == 1
                    && cluster.ids.allSatisfy { cluster.appliedData($0).count == payloads.count + 1 }
            }
        } catch {
            return "node \(follower) forgot its leader and proposed; \(patience.components.seconds) s of ticking later "
                + "(heartbeats name the leader again) the proposal had \(proposals.returned == 0 ? "not returned" : "not applied everywhere")"
        }
        if let failure = proposals.failures.first { return "after forgetting its leader, \(failure)" }
        return sameAppliedEverywhere(cluster, payloads + ["after-forgetting"])
    }
}
