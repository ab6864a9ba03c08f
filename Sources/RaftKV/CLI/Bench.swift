import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Raft

/// `raftkv bench`: the load figure. Starts three raftkv processes on loopback (each with its own
/// WAL, fsync on, as always), lets `--clients` threads write through all three nodes at once
/// (followers forward to the leader) for `--seconds`, and prints writes per second with latency
/// percentiles. Every write counted was acknowledged: committed by a quorum and applied.
///
/// With `--endpoints` it starts nothing and drives servers already running, speaking raftkv's
/// API or, with `--api etcd`, etcd's v2 keys API: that is how `Benchmarks/etcd-server/run.sh`
/// puts etcd and raftkv under the same load generator. `--reads P` makes P% of the requests
/// linearizable GETs (raftkv's default GET; `?quorum=true` on etcd). Flags beyond the usage line:
/// `--warmup S` (default 1), `--reads P`, `--endpoints URL,URL,...`, `--api raftkv|etcd`,
/// `--distinct 1` (every write to a new key).
enum Bench {
    /// Which HTTP API the clients speak.
    enum API: String {
        case raftkv, etcd

        /// The request for a write of `value` to key number `k`.
        func put(_ k: Int, _ value: String) -> (method: String, path: String, body: [UInt8]?) {
            switch self {
            case .raftkv: return ("PUT", "/bench-\(k)", Array(value.utf8))
            // etcd's v2 handler takes `value` from the form, which includes the query string;
            // this client cannot set a form content type for a body.
            case .etcd: return ("PUT", "/v2/keys/bench-\(k)?value=\(value)", nil)
            }
        }

        /// The path of a linearizable read of key number `k`.
        func get(_ k: Int) -> String {
            switch self {
            case .raftkv: return "/bench-\(k)"
            case .etcd: return "/v2/keys/bench-\(k)?quorum=true"
            }
        }

        func putSucceeded(_ status: Int) -> Bool { self == .raftkv ? status == 204 : (status == 200 || status == 201) }
        /// A read of a key not written yet is answered 404 by both: still a completed read.
        func getSucceeded(_ status: Int) -> Bool { status == 200 || status == 404 }
    }

    static func run(_ args: [String]) async throws -> Int32 {
        var flags = try Flags(args)
        let clients = max(try flags.int("clients") ?? 64, 1)
        let seconds = max(try flags.int("seconds") ?? 10, 1)
        let warmup = max(try flags.int("warmup") ?? 1, 0)
        let valueBytes = max(try flags.int("value-bytes") ?? 128, 0)
        let keys = max(try flags.int("keys") ?? 10_000, 1)
        let readPercent = min(max(try flags.int("reads") ?? 0, 0), 100)
        // Every write to a key not written before (client k writes k, k + clients, ...), to fill
        // the store with as many keys as writes: for memory figures after a million keys.
        let distinct = (try flags.int("distinct") ?? 0) != 0
        let basePort = try flags.int("base-port")
        let apiName = flags.string("api") ?? "raftkv"
        guard let api = API(rawValue: apiName) else { throw UsageError("--api must be raftkv or etcd, not \(apiName)") }
        var given: [Endpoint] = []
        for url in (flags.string("endpoints") ?? "").split(separator: ",") {
            guard let e = Endpoint(url: String(url)) else { throw UsageError("--endpoints: \(url) is not http://host:port") }
            given.append(e)
        }
        try flags.expectConsumed()
        guard api == .raftkv || !given.isEmpty else { throw UsageError("--api etcd needs --endpoints") }

        // Declared before `processes`, so removed after they are stopped.
        var temporaryDirectory: String?
        defer { if let temporaryDirectory { Demo.removeTree(temporaryDirectory) } }
        var processes: [Process] = []
        defer {
            for p in processes where p.isRunning { kill(p.processIdentifier, SIGTERM) }
            for p in processes { p.waitUntilExit() }
        }
        let endpoints: [Endpoint]
        if given.isEmpty {
            let binary = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
            let dir = Demo.makeTemporaryDirectory("raftkv-bench")
            temporaryDirectory = dir
            let ports: [UInt16] = try basePort.map { b in (0..<6).map { UInt16(b + $0) } } ?? freePorts(6)
            let peers = ports[0..<3].map { "http://127.0.0.1:\($0)" }.joined(separator: ",")
            for id in 1...3 {
                let p = Process()
                p.executableURL = URL(fileURLWithPath: binary)
                p.arguments = ["--id", "\(id)", "--cluster", peers, "--port", "\(ports[2 + id])",
                               "--data-dir", "\(dir)/node\(id)", "--die-with-parent"]
                let log = dir + "/node\(id).log"
                _ = FileManager.default.createFile(atPath: log, contents: nil)
                p.standardError = FileHandle(forWritingAtPath: log)
                p.standardOutput = FileHandle(forWritingAtPath: log)
                try p.run()
                processes.append(p)
            }
            endpoints = ports[3..<6].map { Endpoint(host: "127.0.0.1", port: $0) }
            Console.out("raftkv bench: 3 processes (fsync on), data in \(dir); waiting for a leader")
            guard waitForLeader(endpoints[0], seconds: 30) else {
                Console.out("raftkv bench: no leader within 30 s; node logs are in \(dir)")
                return 1
            }
        } else {
            endpoints = given
            guard waitUntilWritable(endpoints, api: api, seconds: 30) else {
                Console.out("raftkv bench: \(api.rawValue) at \(given) took no write within 30 s")
                return 1
            }
        }

        let value = String(repeating: "v", count: valueBytes)
        let results = Locked<[ClientResult]>([])
        let start = Date()
        let warmupEnd = start.addingTimeInterval(Double(warmup))
        let end = warmupEnd.addingTimeInterval(Double(seconds))
        let threads = (0..<clients).map { k in
            Thread {
                let client = HTTPClient(endpoints[k % endpoints.count], timeoutMs: 10_000)
                var r = ClientResult()
                var rng = SystemRandomNumberGenerator()
                var next = k
                while true {
                    let now = Date()
                    if now >= end { break }
                    let key = distinct ? next : Int.random(in: 0..<keys, using: &rng)
                    next += clients
                    let isRead = readPercent > 0 && Int.random(in: 0..<100, using: &rng) < readPercent
                    let ok: Bool
                    if isRead {
                        ok = client.request("GET", api.get(key)).map { api.getSucceeded($0.status) } ?? false
                    } else {
                        let put = api.put(key, value)
                        ok = client.request(put.method, put.path, body: put.body).map { api.putSucceeded($0.status) } ?? false
                    }
                    let done = Date()
                    guard now >= warmupEnd else { continue }
                    if ok && done <= end {
                        if isRead { r.reads.append(done.timeIntervalSince(now)) } else { r.writes.append(done.timeIntervalSince(now)) }
                    } else if !ok {
                        r.errors += 1
                    }
                }
                results.withLock { $0.append(r) }
            }
        }
        for t in threads { t.start() }
        while results.withLock({ $0.count }) < clients { usleep(50_000) }

        let all = results.withLock { $0 }
        let writes = all.flatMap(\.writes).sorted()
        let reads = all.flatMap(\.reads).sorted()
        let errors = all.reduce(0) { $0 + $1.errors }
        let writeRate = Double(writes.count) / Double(seconds)
        let readRate = Double(reads.count) / Double(seconds)
        var line = "raftkv bench: \(api.rawValue), " + String(format: "%d clients, %d s, %d-byte values: %d writes acknowledged, %.0f writes/s, latency p50 %.1f ms, p99 %.1f ms",
                          clients, seconds, valueBytes, writes.count, writeRate,
                          percentile(writes, 0.5), percentile(writes, 0.99))
        if readPercent > 0 {
            line += String(format: "; %d linearizable reads, %.0f reads/s, p50 %.2f ms, p99 %.2f ms",
                           reads.count, readRate, percentile(reads, 0.5), percentile(reads, 0.99))
        }
        Console.out(line + ", \(errors) errors")
        // One line for scripts (Benchmarks/etcd-server/run.sh) to parse.
        Console.out(String(format: "bench-result writes_per_s=%.0f write_p50_ms=%.2f write_p99_ms=%.2f reads_per_s=%.0f read_p50_ms=%.2f read_p99_ms=%.2f errors=%d",
                           writeRate, percentile(writes, 0.5), percentile(writes, 0.99),
                           readRate, percentile(reads, 0.5), percentile(reads, 0.99), errors))
        return 0
    }

    struct ClientResult: Sendable {
        var writes: [Double] = []
        var reads: [Double] = []
        var errors = 0
    }

    /// The `p` quantile of sorted latencies in seconds, in milliseconds (0 when there are none).
    static func percentile(_ sorted: [Double], _ p: Double) -> Double {
        sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))] * 1000
    }

    /// `n` ports free to listen on, for nodes started later. Taken below the kernel's ephemeral
    /// range (32768-60999 on Linux, 49152-65535 on Darwin), from a random start: a port the
    /// kernel picks for `bind(0)` comes from that range, which is also where every outgoing
    /// connection gets its local port, so on a busy machine one of them could take it before
    /// the node binds it, and the node would fail to start. Ports handed out earlier by this
    /// process are never handed out again.
    static func freePorts(_ n: Int) throws -> [UInt16] {
        try handedOut.withLock { used in
            var ports: [UInt16] = []
            var candidate = UInt16.random(in: 20_000..<32_000)
            var tried = 0
            while ports.count < n {
                tried += 1
                if tried > 12_000 { throw SystemError(message: "no free port between 20000 and 32767") }
                candidate = candidate >= 32_700 ? 20_000 : candidate + 1
                if used.contains(candidate) { continue }
                guard let fd = try? Socket.listen(Endpoint(host: "127.0.0.1", port: candidate)) else { continue }
                LibC.close(fd)
                used.insert(candidate)
                ports.append(candidate)
            }
            return ports
        }
    }
    private static let handedOut = Locked(Set<UInt16>())

    static func waitForLeader(_ endpoint: Endpoint, seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        let client = HTTPClient(endpoint, timeoutMs: 2000)
        while Date() < deadline {
            if let r = client.request("GET", "/members"), r.text.contains(" leader") { return true }
            usleep(100_000)
        }
        return false
    }

    /// Waits until every endpoint has acknowledged a write: the cluster has a leader and each
    /// member reaches it.
    static func waitUntilWritable(_ endpoints: [Endpoint], api: API, seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        for e in endpoints {
            let client = HTTPClient(e, timeoutMs: 2000)
            while true {
                let put = api.put(0, "ready")
                if let r = client.request(put.method, put.path, body: put.body), api.putSucceeded(r.status) { break }
                if Date() >= deadline { return false }
                usleep(100_000)
            }
        }
        return true
    }
}
