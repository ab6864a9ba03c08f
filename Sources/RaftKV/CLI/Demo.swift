import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `raftkv --demo`: three nodes in this process on loopback, the embedded default, with the
/// curl commands to try printed once they are up.
enum Demo {
    static let peerPorts: [UInt16] = [12379, 22379, 32379]
    static let httpPorts: [UInt16] = [12380, 22380, 32380]

    static func run(_ flags: inout Flags) async throws -> Int32 {
        let given = flags.string("data-dir")
        let tickMs = try flags.int("tick-ms")
        try flags.expectConsumed()
        let base = given ?? makeTemporaryDirectory()
        let cluster = peerPorts.map { Endpoint(host: "127.0.0.1", port: $0) }
        let (stops, stop) = AsyncStream.makeStream(of: String.self)
        var nodes: [RunningNode] = []
        do {
            for id in 1...UInt64(cluster.count) {
                var o = NodeOptions(id: id, cluster: cluster, http: Endpoint(host: "127.0.0.1", port: httpPorts[Int(id - 1)]),
                                    dataDirectory: base + "/node\(id)")
                if let tickMs { o.tickMilliseconds = max(tickMs, 1) }
                nodes.append(try RunningNode(options: o, onStop: { stop.yield("node \(id) stopped: \($0)") }))
            }
        } catch {
            for n in nodes { await n.stop() }
            throw error
        }
        let signals = SignalWatcher { stop.yield("signal \($0)") }
        Console.out("""
        raftkv demo: 3 nodes in this process, data in \(base)\(given == nil ? " (removed on exit)" : "")
          node 1: HTTP http://127.0.0.1:12380  peers http://127.0.0.1:12379
          node 2: HTTP http://127.0.0.1:22380  peers http://127.0.0.1:22379
          node 3: HTTP http://127.0.0.1:32380  peers http://127.0.0.1:32379
        try, from another terminal:
          curl -L http://127.0.0.1:12380/my-key -X PUT -d hello
          curl -L http://127.0.0.1:22380/my-key
          curl -L "http://127.0.0.1:32380/my-key?serializable"
          curl -L http://127.0.0.1:12380/my-key -X DELETE
          curl -L http://127.0.0.1:12380/members
        Ctrl-C stops the demo.
        """)
        var reason = ""
        for await r in stops {
            reason = r
            break
        }
        signals.cancel()
        Console.out("raftkv demo: stopping (\(reason))")
        for n in nodes { await n.stop() }
        if given == nil { removeTree(base) }
        return 0
    }

    static func makeTemporaryDirectory(_ prefix: String = "raftkv-demo") -> String {
        var template = Array((tmpRoot() + "/\(prefix)-XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buf -> Bool in
            guard let base = buf.baseAddress else { return false }
            return mkdtemp(base) != nil
        }
        let path = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return made ? path : "\(prefix)-\(getpid())"
    }

    /// The temporary directory, without the trailing slash Foundation leaves on it.
    static func tmpRoot() -> String {
        var t = NSTemporaryDirectory()
        while t.count > 1 && t.hasSuffix("/") { t.removeLast() }
        return t
    }

    static func removeTree(_ path: String) {
        try? FileManager.default.removeItem(atPath: path)
    }
}
