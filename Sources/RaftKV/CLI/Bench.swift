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
enum Bench {
    static func run(_ args: [String]) async throws -> Int32 {
        var flags = try Flags(args)
        let clients = max(try flags.int("clients") ?? 64, 1)
        let seconds = max(try flags.int("seconds") ?? 10, 1)
        let valueBytes = max(try flags.int("value-bytes") ?? 128, 0)
        let keys = max(try flags.int("keys") ?? 10_000, 1)
        let basePort = try flags.int("base-port")
        try flags.expectConsumed()

        let binary = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        let dir = Demo.makeTemporaryDirectory("raftkv-bench")
        defer { Demo.removeTree(dir) }
        let ports: [UInt16] = try basePort.map { b in (0..<6).map { UInt16(b + $0) } } ?? freePorts(6)
        let peers = ports[0..<3].map { "http://127.0.0.1:\($0)" }.joined(separator: ",")
        var processes: [Process] = []
        defer {
            for p in processes where p.isRunning { kill(p.processIdentifier, SIGTERM) }
            for p in processes { p.waitUntilExit() }
        }
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
        let endpoints = ports[3..<6].map { Endpoint(host: "127.0.0.1", port: $0) }
        Console.out("raftkv bench: 3 processes (fsync on), data in \(dir); waiting for a leader")
        guard waitForLeader(endpoints[0], seconds: 30) else {
            Console.out("raftkv bench: no leader within 30 s; node logs are in \(dir)")
            return 1
        }

        let value = [UInt8](repeating: UInt8(ascii: "v"), count: valueBytes)
        let results = Locked<[ClientResult]>([])
        let start = Date()
        let warmupEnd = start.addingTimeInterval(1)
        let end = warmupEnd.addingTimeInterval(Double(seconds))
        let threads = (0..<clients).map { k in
            Thread {
                let client = HTTPClient(endpoints[k % 3], timeoutMs: 10_000)
                var r = ClientResult()
                var rng = SystemRandomNumberGenerator()
                while true {
                    let now = Date()
                    if now >= end { break }
                    let key = "/bench-\(Int.random(in: 0..<keys, using: &rng))"
                    let ok = client.request("PUT", key, body: value)?.status == 204
                    let done = Date()
                    guard now >= warmupEnd else { continue }
                    if ok && done <= end {
                        r.latencies.append(done.timeIntervalSince(now))
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
        var latencies = all.flatMap(\.latencies)
        latencies.sort()
        let errors = all.reduce(0) { $0 + $1.errors }
        func percentile(_ p: Double) -> Double {
            latencies.isEmpty ? 0 : latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))] * 1000
        }
        let rate = Double(latencies.count) / Double(seconds)
        Console.out(String(format: "raftkv bench: %d clients, %d s, %d-byte values: %d writes acknowledged, %.0f writes/s, latency p50 %.1f ms, p99 %.1f ms, %d errors",
                           clients, seconds, valueBytes, latencies.count, rate, percentile(0.5), percentile(0.99), errors))
        return 0
    }

    struct ClientResult: Sendable {
        var latencies: [Double] = []
        var errors = 0
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
}
