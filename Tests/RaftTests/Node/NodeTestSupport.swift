import RaftTesting
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

    /// The node's next Ready (failing if none comes).
    static func nextReady(_ node: Node) async throws -> Ready {
        let rd = try await withPatience("a Ready") {
            var it = node.readies.makeAsyncIterator()
            return await it.next()
        }
        guard let rd else { throw Timeout(description: "readies ended") }
        return rd
    }

    /// Takes the next Ready, persists it, advances, and returns it.
    @discardableResult
    static func handleNextReady(_ node: Node, _ storage: MemoryStorage) async throws -> Ready {
        let rd = try await nextReady(node)
        try storage.persist(rd)
        try await node.advance()
        return rd
    }

    /// A single-node cluster of node 1, started and elected, with every Ready handled so far
    /// (the last one is advanced).
    static func electedSingleNode(logger: (any Logger)? = DiscardLogger(),
                                  configure: (inout Config) -> Void = { _ in })
        async throws -> (Node, MemoryStorage) {
        let storage = MemoryStorage()
        var c = testConfig(id: 1, storage: storage, logger: logger)
        configure(&c)
        let node = try Node.start(config: c, peers: [Peer(id: 1)])
        try await handleNextReady(node, storage) // the bootstrap entry
        try await node.campaign()
        while try await handleNextReady(node, storage).committedEntries.last?.index != 2 {}
        #expect(try await node.status().softState == SoftState(lead: 1, raftState: .leader))
        return (node, storage)
    }
}
