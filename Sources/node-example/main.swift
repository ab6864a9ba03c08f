// node-example: a three-node raft cluster in one process, driven through `Node`.
//
// The nodes talk over an in-process network (`LocalNetwork`), and each has an application loop
// that handles its Readies in the order `Ready` documents (persist, send, apply, advance): both
// come from `LocalCluster` in RaftTesting, which the Node tests use too. This program only adds
// the clock, the clients and the printing. See README.md beside it.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Raft
import RaftTesting
import Synchronization

/// Prints raft's own log lines (the election happens there), once the cluster is up.
final class ExampleLogger: Logger {
    let enabled = Atomic(false)
    func isEnabled(_ level: LogLevel) -> Bool { level >= .info && enabled.load(ordering: .relaxed) }
    func log(_ level: LogLevel, _ message: String) { print("    raft \(level): \(message)") }
}

/// How a committed entry reads in the output.
func show(_ e: Entry) -> String {
    switch e.type {
    case .entryNormal:
        e.data.isEmpty ? "(empty entry: the new leader's first in its term)" : String(decoding: e.data, as: UTF8.self)
    case .entryConfChange:
        (try? ConfChange(unmarshaling: e.data)).map { "\($0.type) \($0.nodeID)" } ?? "(conf change)"
    case .entryConfChangeV2:
        "(conf change v2)"
    }
}

func fail(_ why: String) -> Never {
    print("node-example: \(why)")
    exit(1)
}

let ids: [UInt64] = [1, 2, 3]
let clients = 3
let proposalsPerClient = 3
let logger = ExampleLogger()

print("== starting nodes \(ids.map(String.init).joined(separator: ", ")): each first applies the bootstrap entries")
let cluster = try LocalCluster.start(ids: ids, configure: { config in
    config.logger = logger
    // A fixed seed a node, so every run draws the same election timeouts: with these seeds node
    // 1's is the shortest by several ticks, so node 1 campaigns first and wins.
    config.randomNumberGenerator = SeededRandomNumberGenerator(seed: config.id &* 42)
}, onApply: { id, entry in
    print("node \(id) applied index \(entry.index): \(show(entry))")
})
do {
    // Raft does not campaign while a conf change is unapplied, so no election before this.
    try await cluster.waitUntil("the bootstrap entries applied") {
        ids.allSatisfy { cluster.applied($0).count == ids.count }
    }
} catch {
    fail("\(error)")
}

print("== ticking until a leader is elected (raft's own log lines are indented)")
logger.enabled.store(true, ordering: .relaxed)

// The clock: one tick for every node every 10 ms, until the end. An election timeout is 10 to 19
// ticks (drawn from the seeded generators); a leader sends heartbeats every tick.
let clock = Task {
    while !Task.isCancelled {
        await cluster.tick()
        try? await Task.sleep(for: .milliseconds(10))
    }
}

let leader: UInt64
do {
    leader = try await cluster.waitForLeader(timeout: .seconds(60))
} catch {
    fail("\(error)")
}
print("== node \(leader) leads; \(clients) clients propose \(proposalsPerClient) values each, client k to node k")

// The clients: each proposes its values one at a time to its own node (followers forward to the
// leader), and waits until its node has applied a value before proposing the next.
await withThrowingTaskGroup(of: Void.self) { group in
    for c in 1...clients {
        group.addTask {
            let id = ids[(c - 1) % ids.count]
            for v in 1...proposalsPerClient {
                let value = "client \(c) value \(v)"
                try await cluster.node(id).propose(Array(value.utf8))
                try await cluster.waitUntil(value) { cluster.appliedData(id).contains(Array(value.utf8)) }
            }
        }
    }
    do { try await group.waitForAll() } catch { fail("\(error)") }
}

let total = clients * proposalsPerClient
do {
    try await cluster.waitUntil("every node applying every value") {
        ids.allSatisfy { cluster.appliedData($0).count == total }
    }
} catch {
    fail("\(error)")
}
logger.enabled.store(false, ordering: .relaxed)
clock.cancel()
await clock.value
await cluster.stop()

let logs = ids.map { cluster.appliedData($0) }
guard logs.allSatisfy({ $0 == logs[0] }), cluster.problems.isEmpty else {
    fail("the nodes disagree: \(logs), problems: \(cluster.problems)")
}
print("== done: every node applied the same \(total) values in the same order")
