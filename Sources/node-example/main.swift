// node-example: a three-node raft cluster in one process, driven through `Node`.
//
// Each node has its own storage and an application loop, written out below, that handles its
// Readies in the order `Ready` documents: persist, send, apply, advance. The nodes talk over an
// in-process network (`LocalNetwork`, from RaftTesting). The rest is the clock, the clients and
// the printing. See README.md beside it.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Raft
import RaftSupport
import RaftTesting
import Synchronization

/// Prints raft's own log lines (the election happens there), once the cluster is up.
final class ExampleLogger: Logger {
    let enabled = Atomic(false)
    func isEnabled(_ level: LogLevel) -> Bool { level >= .info && enabled.load(ordering: .relaxed) }
    func log(_ level: LogLevel, _ message: String) { print("    raft \(level): \(message)") }
}

/// One node and what its application keeps: the storage raft reads, and the entries its state
/// machine has applied.
final class Member: Sendable {
    let id: UInt64
    let node: Node
    let storage: MemoryStorage
    private let appliedEntries = Locked<[Entry]>([])

    init(id: UInt64, node: Node, storage: MemoryStorage) {
        self.id = id
        self.node = node
        self.storage = storage
    }

    /// Every committed entry applied so far, in order.
    var applied: [Entry] { appliedEntries.withLock { $0 } }

    /// The client values applied so far, in order.
    var appliedValues: [[UInt8]] { applied.filter { $0.type == .entryNormal && !$0.data.isEmpty }.map(\.data) }

    func recordApplied(_ e: Entry) { appliedEntries.withLock { $0.append(e) } }
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

// MARK: - The application loop

/// A member's application: handles each Ready the node hands out, in the order `Ready` documents,
/// until the node stops.
///
/// etcd: the body of the Ready case in raftexample's `serveChannels`.
func runApplication(_ m: Member, network: LocalNetwork) async {
    do {
        for await rd in m.node.readies {
            // 1. Persist: the messages below may promise this state (a vote, an acknowledgement).
            if !rd.snapshot.isEmpty { try m.storage.applySnapshot(rd.snapshot) }
            try m.storage.append(rd.entries)
            if !rd.hardState.isEmpty { m.storage.setHardState(rd.hardState) }
            // 2. Send, now that what they promise is stored.
            network.send(rd.messages)
            // 3. Apply the committed entries, in order.
            for e in rd.committedEntries { try await apply(e, on: m) }
            // 4. Tell raft this Ready is handled; the next one may come.
            try await m.node.advance()
        }
    } catch RaftError.stopped {
        // Stopped while handling a Ready: nothing more to do.
    } catch {
        fail("node \(m.id): \(error)")
    }
}

/// Applies one committed entry: a conf change goes back to raft (which then knows the new
/// membership); a value would go to the state machine, here a list of what was applied.
func apply(_ e: Entry, on m: Member) async throws {
    switch e.type {
    case .entryNormal: break
    case .entryConfChange: _ = try await m.node.applyConfChange(try ConfChange(unmarshaling: e.data))
    case .entryConfChangeV2: _ = try await m.node.applyConfChange(try ConfChangeV2(unmarshaling: e.data))
    }
    m.recordApplied(e)
    print("node \(m.id) applied index \(e.index): \(show(e))")
}

/// The leader every member agrees on, if there is one.
func agreedLeader(_ members: [Member]) async -> UInt64? {
    var leads: Set<UInt64> = []
    for m in members {
        guard let status = try? await m.node.status() else { return nil }
        leads.insert(status.softState.lead)
    }
    guard leads.count == 1, let lead = leads.first, lead != PeerID.none else { return nil }
    return lead
}

// MARK: - The run

let ids: [UInt64] = [1, 2, 3]
let clients = 3
let proposalsPerClient = 3
let logger = ExampleLogger()

print("== starting nodes \(ids.map(String.init).joined(separator: ", ")): each first applies the bootstrap entries")
let network = LocalNetwork()
let members: [Member] = ids.map { id in
    let storage = MemoryStorage()
    var config = Config(id: id, electionTick: 10, heartbeatTick: 1, storage: storage)
    config.logger = logger
    // A fixed seed a node, so every run draws the same election timeouts: with these seeds node
    // 1's is the shortest by several ticks, so node 1 campaigns first and wins.
    config.randomNumberGenerator = SeededRandomNumberGenerator(seed: id &* 42)
    let node: Node
    do { node = try Node.start(config: config, peers: ids.map { Peer(id: $0) }) } catch { fail("\(error)") }
    return Member(id: id, node: node, storage: storage)
}
for m in members { network.connect(m.id, m.node) }
let applications = members.map { m in Task { await runApplication(m, network: network) } }

do {
    // Raft does not campaign while a conf change is unapplied, so no election before this.
    try await waitUntil("the bootstrap entries applied") { members.allSatisfy { $0.applied.count == ids.count } }
} catch {
    fail("\(error)")
}

print("== ticking until a leader is elected (raft's own log lines are indented)")
logger.enabled.store(true, ordering: .relaxed)

// The clock: one tick for every node every 10 ms, until the end. An election timeout is 10 to 19
// ticks (drawn from the seeded generators); a leader sends heartbeats every tick.
let clock = Task {
    while !Task.isCancelled {
        for m in members { try? await m.node.tick() }
        try? await Task.sleep(for: .milliseconds(10))
    }
}

let leader: UInt64
do {
    let found = Locked<UInt64?>(nil)
    try await waitUntil("a leader") {
        let lead = await agreedLeader(members)
        found.withLock { $0 = lead }
        return lead != nil
    }
    guard let lead = found.withLock({ $0 }) else { fail("no leader") }
    leader = lead
} catch {
    fail("\(error)")
}
print("== node \(leader) leads; \(clients) clients propose \(proposalsPerClient) values each, client k to node k")

// The clients: each proposes its values one at a time to its own node (followers forward to the
// leader), and waits until its node has applied a value before proposing the next.
await withThrowingTaskGroup(of: Void.self) { group in
    for c in 1...clients {
        group.addTask {
            let m = members[(c - 1) % members.count]
            for v in 1...proposalsPerClient {
                let value = Array("client \(c) value \(v)".utf8)
                try await m.node.propose(value)
                try await waitUntil("client \(c) value \(v)") { m.appliedValues.contains(value) }
            }
        }
    }
    do { try await group.waitForAll() } catch { fail("\(error)") }
}

let total = clients * proposalsPerClient
do {
    try await waitUntil("every node applying every value") { members.allSatisfy { $0.appliedValues.count == total } }
} catch {
    fail("\(error)")
}
logger.enabled.store(false, ordering: .relaxed)
clock.cancel()
await clock.value
for m in members { await m.node.stop() }
await network.close()
for application in applications { await application.value }

let logs = members.map(\.appliedValues)
guard logs.allSatisfy({ $0 == logs[0] }) else { fail("the nodes disagree: \(logs)") }
print("== done: every node applied the same \(total) values in the same order")
