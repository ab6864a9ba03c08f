import Testing
@testable import Raft

/// The Node tests: one node driven by hand (the Ready/Advance contract, start and restart, stop,
/// cancellation), and clusters over `LocalCluster`. `swift test --filter NodeTests` runs them all.
///
/// No test asserts on speed. Waits poll for a condition and give up only after a generous
/// timeout, which turns a hang into a failure; "still waiting" is asserted only once the call is
/// known to be suspended inside the node (`waitingProposals`, `waitingReadyConsumers`).
@Suite struct NodeTests {}

/// Test helpers for driving a `Node` by hand.
enum NodeFixture {
    struct Timeout: Error, CustomStringConvertible {
        var description: String
    }

    /// The generous guard against hangs (TSAN builds and a busy machine are slow).
    static let patience: Duration = .seconds(60)

    /// A configuration after etcd's test configs: 10 election ticks, 1 heartbeat tick, no size
    /// limits.
    static func config(_ id: UInt64 = 1, storage: MemoryStorage, logger: (any Logger)? = DiscardLogger()) -> Config {
        var c = Config(id: id, electionTick: 10, heartbeatTick: 1, storage: storage)
        c.maxSizePerMsg = noLimit
        c.logger = logger
        return c
    }

    enum Outcome<T: Sendable>: Sendable { case done(T), timedOut }

    /// Runs `operation`, failing with `Timeout` when it has not finished after `patience`; the
    /// operation is then cancelled, so it must end on cancellation.
    static func withPatience<T: Sendable>(
        _ what: String, _ operation: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        return try await withThrowingTaskGroup(of: Outcome<T>.self) { group in
            group.addTask { .done(try await operation()) }
            group.addTask {
                try await Task.sleep(for: patience)
                return .timedOut
            }
            defer { group.cancelAll() }
            guard let first = try await group.next() else { throw Timeout(description: what) }
            switch first {
            case .done(let value): return value
            case .timedOut: throw Timeout(description: "timed out: \(what)")
            }
        }
    }

    /// Polls `condition` until it holds (within `patience`).
    static func waitUntil(_ what: String, _ condition: @escaping @Sendable () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + patience
        while try await !condition() {
            if ContinuousClock.now > deadline { throw Timeout(description: "timed out waiting for \(what)") }
            try await Task.sleep(for: .milliseconds(1))
        }
    }

    /// The node's next Ready (failing if none comes).
    static func nextReady(_ node: Node) async throws -> Ready {
        let rd = try await withPatience("a Ready") {
            var it = node.readies.makeAsyncIterator()
            return await it.next()
        }
        guard let rd else { throw Timeout(description: "readies ended") }
        return rd
    }

    /// Persists a Ready into `storage` as the application must (see `Ready`).
    static func persist(_ rd: Ready, _ storage: MemoryStorage) throws {
        if !rd.snapshot.isEmpty { try storage.applySnapshot(rd.snapshot) }
        try storage.append(rd.entries)
        if !rd.hardState.isEmpty { storage.setHardState(rd.hardState) }
    }

    /// Takes the next Ready, persists it, advances, and returns it.
    @discardableResult
    static func handleNextReady(_ node: Node, _ storage: MemoryStorage) async throws -> Ready {
        let rd = try await nextReady(node)
        try persist(rd, storage)
        try await node.advance()
        return rd
    }

    /// A single-node cluster of node 1, started and elected, with every Ready handled so far
    /// (the last one is advanced).
    static func electedSingleNode(logger: (any Logger)? = DiscardLogger(),
                                  configure: (inout Config) -> Void = { _ in })
        async throws -> (Node, MemoryStorage) {
        let storage = MemoryStorage()
        var c = config(storage: storage, logger: logger)
        configure(&c)
        let node = try Node.start(config: c, peers: [Peer(id: 1)])
        try await handleNextReady(node, storage) // the bootstrap entry
        try await node.campaign()
        while try await handleNextReady(node, storage).committedEntries.last?.index != 2 {}
        #expect(try await node.status().softState == SoftState(lead: 1, raftState: .leader))
        return (node, storage)
    }
}

/// Keeps log lines for tests to look at.
final class CapturingLogger: Logger {
    private let lines = Locked<[String]>([])

    func isEnabled(_ level: LogLevel) -> Bool { level >= .info }
    func log(_ level: LogLevel, _ message: String) { lines.withLock { $0.append(message) } }

    var captured: [String] { lines.withLock { $0 } }

    /// The `raft.node:` lines: the leader changes `Node` noticed.
    var nodeLines: [String] { captured.filter { $0.hasPrefix("raft.node: ") } }
}

