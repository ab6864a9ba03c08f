// raft-bench: throughput and allocations of the library on three fixed workloads, the same work
// Benchmarks/etcd-go does on etcd's Go raft. Run in release mode:
//
//     swift run -c release raft-bench [--w1 N] [--w2 N] [--w3 N] [--only W1,W3]
//
// The last line, `W1 <entries/s> W2 <proposals/s> W3 <ns/entry>`, is for scripts.
import MallocCounter
import Raft
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

struct Options {
    var w1 = 200_000
    var w2 = 100_000
    var w3 = 100_000
    var only: Set<String> = ["W1", "W2", "W3"]

    init(_ args: [String]) throws(UsageError) {
        var it = args.makeIterator()
        while let arg = it.next() {
            func count() throws(UsageError) -> Int {
                guard let v = it.next(), let n = Int(v), n > 0 else { throw UsageError("\(arg) needs a positive count") }
                return n
            }
            switch arg {
            case "--w1": w1 = try count()
            case "--w2": w2 = try count()
            case "--w3": w3 = try count()
            case "--only":
                guard let v = it.next() else { throw UsageError("--only needs a list like W1,W3") }
                only = Set(v.uppercased().split(separator: ",").map(String.init))
            case "-h", "--help": throw UsageError("")
            default: throw UsageError("unknown argument \(arg)")
            }
        }
    }
}

struct UsageError: Error { var message: String; init(_ m: String) { message = m } }

/// A storage holding a snapshot at index 1, term 1, with the given voters: a cluster that exists.
func storage(voters: [UInt64]) -> MemoryStorage {
    let s = MemoryStorage()
    let snap = Snapshot(metadata: SnapshotMetadata(confState: ConfState(voters: voters), index: 1, term: 1))
    do { try s.applySnapshot(snap) } catch { fatalError("bootstrap snapshot: \(error)") }
    return s
}

func config(_ id: UInt64, _ s: MemoryStorage) -> Config {
    var c = Config(id: id, electionTick: 10, heartbeatTick: 1, storage: s)
    c.maxSizePerMsg = 1 << 20
    c.maxInflightMsgs = 256
    c.logger = DiscardLogger()
    return c
}

func seconds(_ d: Duration) -> Double {
    Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
}

/// Persists a Ready's hard state and entries, as an application with an in-memory log would.
@inline(__always)
func persist(_ rd: Ready, _ s: MemoryStorage) {
    if !rd.hardState.isEmpty { s.setHardState(rd.hardState) }
    do { try s.append(rd.entries) } catch { fatalError("append: \(error)") }
}

/// Three RawNodes passing messages by hand.
final class Cluster {
    var nodes: [RawNode] = []
    var storages: [MemoryStorage] = []
    var applied = [0, 0, 0]
    /// The Readies' message arrays, as handed out: kept whole rather than copied message by
    /// message into one queue (Go copies structs with no reference counting; Swift would retain
    /// and release every message's arrays), and delivered in the same order as the Go program's.
    var queue: [[Message]] = []
    var delivering: [[Message]] = []

    init() throws {
        for id in UInt64(1)...3 {
            let s = storage(voters: [1, 2, 3])
            nodes.append(try RawNode(config: config(id, s)))
            storages.append(s)
        }
    }

    /// Handles Readies and delivers messages until a pass finds neither.
    func settle() {
        while true {
            var busy = false
            for i in nodes.indices where nodes[i].hasReady() {
                busy = true
                let rd = nodes[i].ready()
                persist(rd, storages[i])
                if !rd.messages.isEmpty { queue.append(rd.messages) }
                for e in rd.committedEntries where e.type == .entryNormal && !e.data.isEmpty { applied[i] += 1 }
                nodes[i].advance(rd)
            }
            swap(&queue, &delivering)
            for k in delivering.indices {
                for m in delivering[k] {
                    busy = true
                    try? nodes[Int(m.to) - 1].step(m)
                }
            }
            delivering.removeAll(keepingCapacity: true)
            if !busy { return }
        }
    }
}

func w1(_ n: Int) throws -> (rate: Double, allocs: Double) {
    let c = try Cluster()
    try c.nodes[0].campaign()
    c.settle()
    let payload = [UInt8](repeating: 7, count: 128)
    let m0 = raft_bench_malloc_count()
    let start = ContinuousClock.now
    var proposed = 0
    while proposed < n {
        for _ in 0..<64 where proposed < n {
            try c.nodes[0].propose(payload)
            proposed += 1
        }
        c.settle()
    }
    while c.applied.contains(where: { $0 < n }) { c.settle() }
    let elapsed = seconds(ContinuousClock.now - start)
    return (Double(n) / elapsed, Double(raft_bench_malloc_count() - m0) / Double(n))
}

/// Returns the proposals per second and the number of Readies the loop handled while the
/// proposals ran (fewer, larger Readies mean better batching).
func w2(_ n: Int) async throws -> (rate: Double, readies: Int) {
    let s = storage(voters: [1])
    let node = try Node.restart(config: config(1, s))
    let target = UInt64(n + 2)
    let loop = Task {
        var readies = 0
        for await rd in node.readies {
            persist(rd, s)
            try await node.advance()
            if rd.hardState.commit > 2 { readies += 1 }
            if rd.hardState.commit >= target { return readies }
        }
        return readies
    }
    try await node.campaign()
    while try await node.status().softState.lead != 1 { await Task.yield() }
    let payload: [UInt8] = Array("abc".utf8)
    let start = ContinuousClock.now
    for _ in 0..<n { try await node.propose(payload) }
    let readies = try await loop.value
    let elapsed = seconds(ContinuousClock.now - start)
    await node.stop()
    return (Double(n) / elapsed, readies)
}

func w3(_ n: Int) throws -> (nsPerEntry: Double, allocs: Double) {
    let s = storage(voters: [1])
    let rn = try RawNode(config: config(1, s))
    try rn.campaign()
    func handle() {
        while rn.hasReady() {
            let rd = rn.ready()
            persist(rd, s)
            rn.advance(rd)
        }
    }
    handle()
    let payload = [UInt8](repeating: 7, count: 128)
    let m0 = raft_bench_malloc_count()
    let start = ContinuousClock.now
    for _ in 0..<n {
        try rn.propose(payload)
        handle()
    }
    let elapsed = seconds(ContinuousClock.now - start)
    return (elapsed * 1e9 / Double(n), Double(raft_bench_malloc_count() - m0) / Double(n))
}

func fmt(_ v: Double, _ decimals: Int = 0) -> String {
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let r = (v * scale).rounded() / scale
    return decimals == 0 ? String(Int(r)) : String(r)
}

let options: Options
do { options = try Options(Array(CommandLine.arguments.dropFirst())) } catch {
    if !error.message.isEmpty { print("raft-bench: \(error.message)") }
    print("usage: raft-bench [--w1 N] [--w2 N] [--w3 N] [--only W1,W2,W3]")
    exit(error.message.isEmpty ? 0 : 2)
}
let counting = raft_bench_malloc_counting() != 0
func allocs(_ v: Double) -> String { counting ? fmt(v, 2) : "n/a" }

var summary: [String] = []
if options.only.contains("W1") {
    let r = try w1(options.w1)
    print("W1 rawnode-3node  \(options.w1) entries  \(fmt(r.rate)) entries/s  \(fmt(1e9 / r.rate)) ns/entry  \(allocs(r.allocs)) allocs/entry")
    summary.append("W1 \(fmt(r.rate))")
}
if options.only.contains("W2") {
    let r = try await w2(options.w2)
    print("W2 node-1node     \(options.w2) proposals  \(fmt(r.rate)) proposals/s  \(fmt(1e9 / r.rate)) ns/proposal  \(fmt(Double(options.w2) / Double(max(r.readies, 1)), 1)) proposals/Ready")
    summary.append("W2 \(fmt(r.rate))")
}
if options.only.contains("W3") {
    let r = try w3(options.w3)
    print("W3 log-append     \(options.w3) entries  \(fmt(r.nsPerEntry)) ns/entry  \(allocs(r.allocs)) allocs/entry")
    summary.append("W3 \(fmt(r.nsPerEntry))")
}
print(summary.joined(separator: " "))
