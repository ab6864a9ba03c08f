import Testing
@testable import Raft

/// How a member of a `TestNetwork` is made.
enum TestPeer {
    /// A fresh state machine whose storage knows every member of the network as a voter.
    case fresh
    /// A node that swallows every message and never answers.
    case blackHole
    /// A state machine built by the test; the network gives it every member of the network as a
    /// peer (learners stay learners) and resets it to its current term.
    case raft(RaftStateMachine)
    /// A state machine built from the id the network assigns, then treated like `.raft`.
    case build((UInt64) throws -> RaftStateMachine)

    /// A node whose log holds one entry per term in `terms` (at indexes 1, 2...), at the last of
    /// those terms, with a short election timeout.
    static func withLog(_ terms: UInt64..., configure: ((inout Config) -> Void)? = nil) -> TestPeer {
        .build { id in
            let storage = MemoryStorage()
            try storage.append(logEntries(from: 1, termList: terms))
            var config = testConfig(id: id, election: 5, heartbeat: 1, storage: storage)
            configure?(&config)
            let r = try RaftStateMachine(config: config)
            r.reset(term: terms.last ?? 0)
            return r
        }
    }

    /// A node with an empty log that voted for `vote` in `term`.
    static func voted(for vote: UInt64, term: UInt64, configure: ((inout Config) -> Void)? = nil) -> TestPeer {
        .build { id in
            let storage = MemoryStorage()
            storage.setHardState(HardState(term: term, vote: vote))
            var config = testConfig(id: id, election: 5, heartbeat: 1, storage: storage)
            configure?(&config)
            let r = try RaftStateMachine(config: config)
            r.reset(term: term)
            return r
        }
    }
}

/// A deterministic in-memory network of state machines, numbered 1...n: messages are delivered
/// breadth-first until none is left, and can be dropped by link (`cut`, `isolate`, `drop`), by
/// type (`ignore`) or by a hook, with a seeded generator deciding probabilistic drops.
///
/// The nodes are stepped directly (`RaftStateMachine.step`), and after each step their state is
/// treated as persisted at once: responses waiting for durability go out with the other messages.
final class TestNetwork {
    struct Link: Hashable {
        var from: UInt64
        var to: UInt64
    }

    /// The state machines by id; black holes have none.
    private(set) var peers: [UInt64: RaftStateMachine] = [:]
    /// The ids of every member, black holes included.
    let ids: [UInt64]
    /// The probability (0...1, or more to always drop) that a message on a link is dropped.
    private var dropRates: [Link: Double] = [:]
    /// Message types that are never delivered.
    private var ignored: Set<MessageType> = []
    /// Called for each message about to be delivered: false drops it.
    var messageHook: ((Message) -> Bool)?
    /// Errors the nodes returned from `step`, for tests that expect none.
    private(set) var stepErrors: [(UInt64, RaftError)] = []
    /// The most messages one `send` delivers before giving up on the network quiescing.
    var deliveryLimit = 100_000
    /// Whether hitting `deliveryLimit` is expected (forged messages can make two honest nodes
    /// ping-pong forever, as in etcd) rather than a test failure.
    var toleratesStorms = false
    /// How many `send`s were cut short at `deliveryLimit`.
    private(set) var storms = 0
    private var generator: SeededRandomNumberGenerator

    /// A network whose members are `members`, numbered from 1 in order; `configure` adjusts the
    /// configuration of the `.fresh` ones.
    init(_ members: [TestPeer], seed: UInt64 = 1, configure: ((inout Config) -> Void)? = nil) throws {
        let ids = (1...UInt64(members.count)).map { $0 }
        self.ids = ids
        generator = SeededRandomNumberGenerator(seed: seed)
        for (id, member) in zip(ids, members) {
            switch member {
            case .fresh:
                let s = try testStorage(peers: ids)
                var config = testConfig(id: id, storage: s)
                configure?(&config)
                peers[id] = try RaftStateMachine(config: config)
            case .blackHole:
                break
            case .raft(let r):
                try adopt(r, as: id)
            case .build(let make):
                try adopt(make(id), as: id)
            }
        }
    }

    /// A network of `count` fresh nodes.
    convenience init(fresh count: Int, seed: UInt64 = 1, configure: ((inout Config) -> Void)? = nil) throws {
        try self.init(Array(repeating: .fresh, count: count), seed: seed, configure: configure)
    }

    /// Makes every member a peer of `r` (keeping its learners as learners) and resets it.
    private func adopt(_ r: RaftStateMachine, as id: UInt64) throws {
        try #require(r.id == id, "node built with id \(r.id) placed at position \(id)")
        let learners = r.trk.config.learners
        var trk = ProgressTracker(maxInflight: r.trk.maxInflight, maxBytes: r.trk.maxInflightBytes)
        var voters: [UInt64] = []
        for peer in ids {
            let isLearner = learners.contains(peer)
            if isLearner { trk.config.learners.insert(peer) } else { voters.append(peer) }
            trk.progress[peer] = Progress(
                inflights: Inflights(size: trk.maxInflight, maxBytes: trk.maxInflightBytes), isLearner: isLearner)
        }
        trk.config.voters = JointConfig(incoming: MajorityConfig(voters))
        r.trk = trk
        r.reset(term: r.term)
        peers[id] = r
    }

    /// The state machine of node `id`; the test fails if it is a black hole.
    subscript(id: UInt64) -> RaftStateMachine {
        guard let r = peers[id] else { preconditionFailure("node \(id) is not a state machine") }
        return r
    }

    /// The storage node `id` reads its log from.
    func storage(_ id: UInt64) -> MemoryStorage { self[id].memoryStorage }

    /// Delivers `messages` and everything they cause, breadth-first, until the network is quiet.
    func send(_ messages: Message...) { send(messages) }

    func send(_ messages: [Message]) {
        var queue = messages[...]
        var delivered = 0
        while let m = queue.popFirst() {
            delivered += 1
            if delivered > deliveryLimit {
                if toleratesStorms {
                    storms += 1
                } else {
                    Issue.record("network did not quiesce after \(deliveryLimit) messages")
                }
                return
            }
            guard let r = peers[m.to] else { continue }
            do { try r.step(m) } catch { stepErrors.append((m.to, error)) }
            queue.append(contentsOf: filter(r.readMessages()))
        }
    }

    /// Drops messages from `from` to `to` with probability `rate` (1 or more: always).
    func drop(from: UInt64, to: UInt64, rate: Double) {
        dropRates[Link(from: from, to: to)] = rate
    }

    /// Drops everything between `one` and `other`, both ways.
    func cut(_ one: UInt64, _ other: UInt64) {
        drop(from: one, to: other, rate: 2)
        drop(from: other, to: one, rate: 2)
    }

    /// Drops everything to and from `id`.
    func isolate(_ id: UInt64) {
        for other in ids where other != id {
            drop(from: id, to: other, rate: 1)
            drop(from: other, to: id, rate: 1)
        }
    }

    /// Never delivers messages of `type`.
    func ignore(_ type: MessageType) { ignored.insert(type) }

    /// Heals every link and stops ignoring message types (the hook stays).
    func recover() {
        dropRates = [:]
        ignored = []
    }

    private func filter(_ messages: [Message]) -> [Message] {
        messages.filter { m in
            if ignored.contains(m.type) { return false }
            if m.type == .msgHup {
                Issue.record("MsgHup must never travel over the network")
                return false
            }
            let rate = dropRates[Link(from: m.from, to: m.to)] ?? 0
            if rate > 0 && Double.random(in: 0..<1, using: &generator) < rate { return false }
            if let messageHook, !messageHook(m) { return false }
            return true
        }
    }
}
