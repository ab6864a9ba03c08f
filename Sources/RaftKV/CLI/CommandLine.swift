import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Raft

/// The `raftkv` command: one node per process, the in-process demo, or the load benchmark.
public enum RaftKVCLI {
    public static let usage = """
    usage:
      raftkv --demo [--data-dir DIR]
          three nodes in this process on loopback (peers 12379/22379/32379, HTTP 12380/22380/32380)
      raftkv --id N --cluster URL,URL,... --port HTTP_PORT --data-dir DIR [--join]
             [--tick-ms 100] [--snapshot-count 10000] [--request-timeout-ms 5000] [--verbose]
          one node: N is its 1-based position in --cluster (peer URLs like http://127.0.0.1:12379)
      raftkv bench [--clients 64] [--seconds 10] [--value-bytes 128] [--keys 10000] [--base-port 40000]
          starts three raftkv processes (fsync on), writes from the clients, prints writes/second
    """

    /// Runs the command; returns the process exit status.
    public static func run(_ args: [String]) async -> Int32 {
        signal(SIGPIPE, SIG_IGN)
        do {
            if args.first == "bench" { return try await Bench.run(Array(args.dropFirst())) }
            var flags = try Flags(args)
            if flags.bool("help") || flags.bool("h") {
                Console.out(usage)
                return 0
            }
            if flags.bool("demo") { return try await Demo.run(&flags) }
            let options = try nodeOptions(&flags)
            if flags.bool("die-with-parent") { ParentWatch.start() }
            try flags.expectConsumed()
            return try await serve(options)
        } catch let error as UsageError {
            FileIO.writeBestEffort(2, Array("raftkv: \(error.description)\n\(usage)\n".utf8))
            return 2
        } catch {
            FileIO.writeBestEffort(2, Array("raftkv: \(error)\n".utf8))
            return 1
        }
    }

    static func nodeOptions(_ flags: inout Flags) throws -> NodeOptions {
        guard let id = UInt64(try flags.required("id")), id > 0 else { throw UsageError("--id must be a positive integer") }
        let urls = try flags.required("cluster").split(separator: ",").map(String.init)
        var cluster: [Endpoint] = []
        for url in urls {
            guard let e = Endpoint(url: url) else { throw UsageError("--cluster: \(url) is not http://host:port") }
            cluster.append(e)
        }
        guard id <= UInt64(cluster.count) else { throw UsageError("--id \(id) but --cluster lists \(cluster.count) peers") }
        guard let port = UInt16(try flags.required("port")) else { throw UsageError("--port must be a port number") }
        let host = flags.string("host") ?? cluster[Int(id - 1)].host
        var o = NodeOptions(id: id, cluster: cluster, http: Endpoint(host: host, port: port),
                            dataDirectory: flags.string("data-dir") ?? "raftkv-\(id)")
        o.join = flags.bool("join")
        o.verbose = flags.bool("verbose")
        if let v = try flags.int("tick-ms") { o.tickMilliseconds = max(v, 1) }
        if let v = try flags.int("snapshot-count") { o.snapshotCount = UInt64(max(v, 1)) }
        if let v = try flags.int("catch-up-entries") { o.catchUpEntries = UInt64(max(v, 1)) }
        if let v = try flags.int("request-timeout-ms") { o.requestTimeoutMilliseconds = max(v, 1) }
        if let v = try flags.int("wal-segment-bytes") { o.walSegmentBytes = max(v, 4096) }
        return o
    }

    /// Runs one node until SIGINT/SIGTERM or until it stops by itself.
    static func serve(_ options: NodeOptions) async throws -> Int32 {
        let (stops, stop) = AsyncStream.makeStream(of: String.self)
        let running = try RunningNode(options: options, onStop: { stop.yield("stopped: \($0)") })
        let signals = SignalWatcher { stop.yield("signal \($0)") }
        Console.out("raftkv node \(options.id): HTTP on \(options.http), peers on \(options.peerEndpoint?.description ?? "?"), data in \(options.dataDirectory)")
        var reason = "?"
        for await r in stops {
            reason = r
            break
        }
        signals.cancel()
        running.logger.info("shutting down (\(reason))")
        await running.stop()
        return reason.hasPrefix("signal") ? 0 : 1
    }
}

/// A node and its HTTP server, started and stopped together.
public final class RunningNode: Sendable {
    public let node: RaftKVNode
    public let http: HTTPServer
    public let logger: ConsoleLogger

    public init(options: NodeOptions, onStop: @escaping @Sendable (String) -> Void = { _ in }) throws {
        logger = ConsoleLogger(prefix: "[\(options.id)]", level: options.verbose ? .debug : .info)
        node = try RaftKVNode(options: options, logger: logger, onStop: onStop)
        let api = HTTPAPI(node: node)
        do {
            http = try HTTPServer(listen: options.http, endOfBatch: { api.endOfBatch() }) { api.handle($0, reply: $1) }
        } catch {
            let n = node
            Task { await n.stop() }
            throw error
        }
        http.start()
    }

    public func stop() async {
        http.stop()
        await node.stop()
    }
}

/// Exits the process when its parent goes away: the tests and `raftkv bench` start nodes with
/// `--die-with-parent`, so that a test runner that crashes leaves no node behind.
enum ParentWatch {
    static func start() {
        let parent = getppid()
        let thread = Thread {
            while getppid() == parent { usleep(200_000) }
            FileIO.writeBestEffort(2, Array("raftkv: parent process \(parent) exited; exiting\n".utf8))
            _exit(3)
        }
        thread.start()
    }
}

/// Calls `handler` on SIGINT and SIGTERM.
final class SignalWatcher: @unchecked Sendable {
    // @unchecked: `sources` is never mutated; Dispatch sources are thread-safe to cancel.
    private let sources: [any DispatchSourceSignal]

    init(_ handler: @escaping @Sendable (Int32) -> Void) {
        sources = [SIGINT, SIGTERM].map { sig in
            signal(sig, SIG_IGN)
            let s = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            s.setEventHandler { handler(sig) }
            s.resume()
            return s
        }
    }

    func cancel() { for s in sources { s.cancel() } }
}
