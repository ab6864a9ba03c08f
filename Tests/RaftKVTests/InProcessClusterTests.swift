import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Raft
import RaftTesting
import Testing
@testable import RaftKV

/// Three `RaftKVNode`s in the test process (real sockets and files, fast ticks), so that the
/// node's own code runs under the thread sanitizer with the test, and so that snapshot transfer
/// can be forced: a node that was down while the others compacted far past it.
@Suite(.serialized) struct InProcessClusterTests {
    /// Runs a blocking call on a thread of its own, off the cooperative pool the nodes run on.
    static func blocking<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { c in Thread { c.resume(returning: body()) }.start() }
    }

    static func start(_ o: NodeOptions, logger: CapturingLogger) async throws -> RaftKVNode {
        // A stopped node's listener closes on its own thread: its port may take a moment to free.
        for attempt in 0..<40 {
            do { return try RaftKVNode(options: o, logger: logger) } catch let e as SystemError where attempt < 39 && e.description.contains("bind") {
                try await Task.sleep(for: .milliseconds(50))
            }
        }
        throw SystemError(message: "unreachable")
    }

    /// A follower down while the others write and compact comes back, is sent a snapshot, and
    /// ends up with every key; its WAL and snapshot files were used on restart.
    @Test func laggingFollowerCatchesUpThroughASnapshot() async throws {
        let dir = TempDir("raftkv-inproc")
        defer { dir.cleanup() }
        let ports = try Bench.freePorts(6)
        let cluster = ports[0..<3].map { Endpoint(host: "127.0.0.1", port: $0) }
        func options(_ id: UInt64) -> NodeOptions {
            var o = NodeOptions(id: id, cluster: cluster, http: Endpoint(host: "127.0.0.1", port: ports[Int(id) + 2]),
                                dataDirectory: dir.path + "/node\(id)")
            o.tickMilliseconds = 10
            o.snapshotCount = 20
            o.catchUpEntries = 5
            o.requestTimeoutMilliseconds = 3000
            return o
        }
        let loggers = (1...3).map { _ in CapturingLogger(level: .info) }
        var nodes: [RaftKVNode] = []
        for id: UInt64 in 1...3 { nodes.append(try await Self.start(options(id), logger: loggers[Int(id - 1)])) }
        let writer = nodes[0]
        // The nodes' ticks and loops are tasks on Swift's shared cooperative pool (one thread
        // per core), which the other suites' long synchronous tests can hold for tens of seconds
        // under the thread sanitizer: no node ticks meanwhile (see Notes/design-decisions.md,
        // "raftkv's tasks share the cooperative pool"). So the deadlines are generous.
        let patience: TimeInterval = 120
        // Retries until the put is done. A retry of a put that timed out but committed later
        // reports that the key existed: that is done too (each key is written once).
        func write(_ key: String, _ value: String) async throws {
            let deadline = Date().addingTimeInterval(patience)
            while true {
                let outcome = await Self.blocking { writer.put(key, Array(value.utf8)) }
                if case .done = outcome { return }
                if Date() > deadline {
                    let logs = loggers.enumerated().map { "node \($0.offset + 1):\n" + $0.element.lines.suffix(15).joined(separator: "\n") }
                    throw SystemError(message: "could not write \(key): \(outcome)\n" + logs.joined(separator: "\n"))
                }
            }
        }
        try await write("first", "1")
        await nodes[2].stop()
        for k in 0..<100 { try await write("k\(k)", "v\(k)") }
        #expect(writer.progress.snapshot > 20)

        let restarted = try await Self.start(options(3), logger: loggers[2])
        nodes[2] = restarted
        let deadline = Date().addingTimeInterval(patience)
        while restarted.kv.get("k99") == nil && Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
        for k in 0..<100 { #expect(restarted.kv.get("k\(k)") == Array("v\(k)".utf8)) }
        #expect(restarted.kv.get("first") == Array("1".utf8))
        #expect(loggers[2].lines.contains { $0.contains("installed the leader's snapshot") }, "\(loggers[2].lines.suffix(20))")
        var read = await Self.blocking { restarted.get("k42", linearizable: true) }
        let readDeadline = Date().addingTimeInterval(patience)
        while case .unavailable = read, Date() < readDeadline {
            read = await Self.blocking { restarted.get("k42", linearizable: true) }
        }
        #expect(read == .value(Array("v42".utf8)))
        for n in nodes { await n.stop() }
    }
}
