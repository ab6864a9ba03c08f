import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Raft
import Testing
@testable import RaftKV

/// Three (or more) `raftkv` processes on loopback for the process tests: free ports chosen by
/// the kernel, a data directory each, logs to files, and `kill -9` on demand. `shutdown` kills
/// whatever still runs (every test calls it in a `defer`), and the nodes are started with
/// `--die-with-parent`, so even a crashed test runner leaves none behind.
///
/// A wait that times out fails with every node's state and the tail of its log, so that a
/// failure on a loaded CI machine can be understood from the test output alone.
final class ProcessCluster: @unchecked Sendable {
    // @unchecked: used by one test at a time; `processes` only touched from the test's task.
    let binary: String
    let dir: TempDir
    let peerPorts: [UInt16]
    let httpPorts: [UInt16]
    let extraArgs: [String]
    private var processes: [UInt64: Process] = [:]

    /// Where `swift build` put the `raftkv` executable: beside the test bundle (or
    /// `RAFTKV_BINARY`, to run these tests against another build, such as one without a fix).
    static func binaryPath() throws -> String {
        if let path = ProcessInfo.processInfo.environment["RAFTKV_BINARY"], !path.isEmpty { return path }
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var dir = URL(fileURLWithPath: exe).deletingLastPathComponent()
        // Linux test bundles are executables in the build directory; walk up past a bundle dir.
        for _ in 0..<3 {
            let candidate = dir.appendingPathComponent("raftkv").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        throw SystemError(message: "no raftkv executable beside \(exe); run `swift build` (or `swift build --build-tests`) first")
    }

    /// Whether this test process (and so the `raftkv` built beside it) runs under the thread
    /// sanitizer: its runtime's entry point is linked in. Instrumented code runs several times
    /// slower, which a test that judges latency has to take into account.
    static let underThreadSanitizer: Bool = {
        #if canImport(Darwin)
        let everyImage = UnsafeMutableRawPointer(bitPattern: -2)  // RTLD_DEFAULT
        #else
        let everyImage: UnsafeMutableRawPointer? = nil  // RTLD_DEFAULT
        #endif
        return dlsym(everyImage, "__tsan_init") != nil
    }()

    init(size: Int = 3, extraArgs: [String] = []) throws {
        binary = try Self.binaryPath()
        dir = TempDir("raftkv-proc")
        let ports = try Bench.freePorts(2 * (size + 1))
        peerPorts = Array(ports[0...size])
        httpPorts = Array(ports[(size + 1)...])
        self.extraArgs = extraArgs
    }

    var clusterURLs: [String] { peerPorts.map { "http://127.0.0.1:\($0)" } }

    /// The cluster id the nodes check in every peer connection's hello.
    var clusterID: UInt64 {
        let endpoints = peerPorts.map { Endpoint(host: "127.0.0.1", port: $0) }
        return NodeOptions(id: 1, cluster: endpoints, http: endpoints[0], dataDirectory: "").clusterID
    }

    func dataDir(_ id: UInt64) -> String { dir.path + "/node\(id)" }
    func logPath(_ id: UInt64) -> String { dir.path + "/node\(id).log" }
    func walSegments(_ id: UInt64) -> [String] {
        ((try? FileIO.list(dataDir(id) + "/wal")) ?? []).filter { $0.hasSuffix(".wal") }.map { dataDir(id) + "/wal/" + $0 }
    }

    /// Starts node `id` of the first `members` peers (the spare port is for a node that joins).
    @discardableResult
    func start(_ id: UInt64, members: Int = 3, join: Bool = false) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = ["--id", "\(id)", "--cluster", clusterURLs.prefix(max(members, Int(id))).joined(separator: ","),
                       "--port", "\(httpPorts[Int(id - 1)])", "--data-dir", dataDir(id),
                       "--tick-ms", "50", "--request-timeout-ms", "4000", "--die-with-parent"]
            + (join ? ["--join"] : []) + extraArgs
        _ = FileManager.default.createFile(atPath: logPath(id), contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath(id)))
        log.seekToEndOfFile()
        p.standardError = log
        p.standardOutput = log
        try p.run()
        processes[id] = p
        return p
    }

    func kill9(_ id: UInt64) {
        guard let p = processes.removeValue(forKey: id) else { return }
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
    }

    func isRunning(_ id: UInt64) -> Bool { processes[id]?.isRunning ?? false }

    /// Sends `sig` to node `id` (SIGSTOP and SIGCONT freeze and thaw it).
    func signal(_ id: UInt64, _ sig: Int32) {
        guard let p = processes[id] else { return }
        kill(p.processIdentifier, sig)
    }

    /// Every node's state and the last lines of its log: what a failed wait prints.
    func diagnostics(lines: Int = 40) -> String {
        var out = ""
        for id in 1...UInt64(peerPorts.count) {
            let state: String
            if let p = processes[id] {
                state = p.isRunning ? "running (pid \(p.processIdentifier))" : "exited with status \(p.terminationStatus)"
            } else {
                state = "not started or killed"
            }
            let tail = log(id).split(separator: "\n", omittingEmptySubsequences: false).suffix(lines).joined(separator: "\n")
            out += "--- node \(id): \(state); peer port \(peerPorts[Int(id - 1)]), last \(lines) log lines:\n\(tail)\n"
        }
        return out
    }

    /// Kills every node, reports sanitizer findings in their logs, removes the data.
    func shutdown() {
        for id in Array(processes.keys) { kill9(id) }
        for id in 1...UInt64(peerPorts.count) {
            if let log = try? String(contentsOfFile: logPath(id), encoding: .utf8), log.contains("ThreadSanitizer") {
                Issue.record("node \(id) reported a ThreadSanitizer finding:\n\(log.suffix(4000))")
            }
        }
        if ProcessInfo.processInfo.environment["RAFTKV_KEEP_TEST_DATA"] == nil { dir.cleanup() }
    }

    func log(_ id: UInt64) -> String { (try? String(contentsOfFile: logPath(id), encoding: .utf8)) ?? "" }

    func client(_ id: UInt64, timeoutMs: Int = 10_000) -> HTTPClient {
        HTTPClient(Endpoint(host: "127.0.0.1", port: httpPorts[Int(id - 1)]), timeoutMs: timeoutMs)
    }

    /// Polls until `condition` holds; fails the test (by throwing, with the nodes' logs) after
    /// `seconds`, or as soon as a node in `mustRun` is found exited.
    func waitUntil(_ what: String, seconds: Double = 60, mustRun: [UInt64] = [], _ condition: () -> Bool) throws {
        let deadline = Date().addingTimeInterval(seconds)
        while !condition() {
            if let gone = mustRun.first(where: { processes[$0].map { !$0.isRunning } ?? false }) {
                throw SystemError(message: "node \(gone) exited while waiting for \(what)\n\(diagnostics())")
            }
            if Date() > deadline { throw SystemError(message: "timed out after \(seconds) s waiting for \(what)\n\(diagnostics())") }
            usleep(50_000)
        }
    }

    /// The leader that node `id` names in `GET /members`, if any.
    func leader(askingNode id: UInt64) -> UInt64? {
        guard let r = client(id, timeoutMs: 3000).request("GET", "/members"), r.status == 200 else { return nil }
        for line in r.text.split(separator: "\n") where line.hasSuffix(" leader") {
            return UInt64(line.split(separator: " ")[0])
        }
        return nil
    }

    /// Waits until every running node in `among` names the same leader, and returns it.
    func waitForLeader(among ids: [UInt64], seconds: Double = 60) throws -> UInt64 {
        var found: UInt64 = 0
        try waitUntil("a leader among \(ids)", seconds: seconds, mustRun: ids) {
            let leaders = ids.map { leader(askingNode: $0) }
            guard let first = leaders.first, let l = first, leaders.allSatisfy({ $0 == l }), ids.contains(l) else { return false }
            found = l
            return true
        }
        return found
    }

    /// Writes `key` through node `id`, retrying 503s and connection failures until acknowledged.
    func put(_ key: String, _ value: String, via id: UInt64, seconds: Double = 60) throws {
        let c = client(id)
        try waitUntil("PUT \(key) via \(id)", seconds: seconds) {
            c.request("PUT", "/\(key)", body: Array(value.utf8))?.status == 204
        }
    }

    /// A linearizable read through node `id`, retrying while the node cannot confirm it.
    func get(_ key: String, via id: UInt64, seconds: Double = 60) throws -> String? {
        let c = client(id)
        var result: String?
        try waitUntil("GET \(key) via \(id)", seconds: seconds) {
            guard let r = c.request("GET", "/\(key)") else { return false }
            if r.status == 200 { result = r.text; return true }
            if r.status == 404 { result = nil; return true }
            return false
        }
        return result
    }
}
