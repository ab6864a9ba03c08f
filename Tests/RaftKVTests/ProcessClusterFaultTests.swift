import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Raft
import Testing
@testable import RaftKV

/// raftkv under faults and hostile clients, on real processes and sockets: frozen nodes, slow
/// and idle connections, junk on both ports. In `ProcessClusterTests` (an extension), so that
/// these clusters run one at a time with the others.
extension ProcessClusterTests {
    /// Both followers frozen (SIGSTOP) for 2.5 s while 16 clients write through them: the leader
    /// steps down (CheckQuorum), and on SIGCONT the followers forward the queued writes to it
    /// while it knows no leader. Stepping such a proposal waits for a leader; if that wait held
    /// up the node's other messages, it would never hear the new leader and would answer 503
    /// for good. Every node must serve writes and reads again soon.
    @Test func frozenFollowersDoNotWedgeTheOldLeader() throws {
        let cluster = try ProcessCluster()
        defer { cluster.shutdown() }
        for id: UInt64 in 1...3 { try cluster.start(id) }
        let leader = try cluster.waitForLeader(among: [1, 2, 3])
        let followers = [UInt64(1), 2, 3].filter { $0 != leader }
        try cluster.put("before", "1", via: leader)

        let stop = Locked(false)
        let running = Locked(16)
        for w in 0..<16 {
            let target = followers[w % 2]
            Thread {
                defer { running.withLock { $0 -= 1 } }
                var c = cluster.client(target, timeoutMs: 5000)
                var n = 0
                while !stop.withLock({ $0 }) {
                    if c.request("PUT", "/f\(w)-\(n)", body: Array("v".utf8)) == nil {
                        c = cluster.client(target, timeoutMs: 5000)
                    }
                    n += 1
                }
            }.start()
        }
        usleep(300_000)
        for f in followers { cluster.signal(f, SIGSTOP) }
        usleep(2_500_000)
        for f in followers { cluster.signal(f, SIGCONT) }
        usleep(1_000_000)
        stop.withLock { $0 = true }
        try cluster.waitUntil("the writers to finish", seconds: 15) { running.withLock { $0 } == 0 }

        for id: UInt64 in 1...3 {
            try cluster.put("after\(id)", "\(id)", via: id, seconds: 20)
            #expect(try cluster.get("after\(id)", via: id, seconds: 20) == "\(id)")
        }
    }

    /// Many idle connections to every peer port (none says who it is): a follower killed and
    /// restarted meanwhile still rejoins, and writes through it succeed. Strangers only ever
    /// compete for the waiting slots, which a member's hello leaves at once.
    @Test func idlePeerConnectionsDoNotCutANodeOff() throws {
        let cluster = try ProcessCluster()
        defer { cluster.shutdown() }
        for id: UInt64 in 1...3 { try cluster.start(id) }
        let leader = try cluster.waitForLeader(among: [1, 2, 3])
        let follower: UInt64 = leader == 1 ? 2 : 1
        try cluster.put("a", "1", via: leader)
        cluster.kill9(follower)

        var idle: [Int32] = []
        defer { for fd in idle { close(fd) } }
        func hold(_ count: Int, on id: UInt64) {
            let peer = Endpoint(host: "127.0.0.1", port: cluster.peerPorts[Int(id - 1)])
            let deadline = Date().addingTimeInterval(5)
            var held = 0
            while held < count && Date() < deadline {
                if let fd = try? Socket.connect(peer, timeoutMs: 1000) {
                    idle.append(fd)
                    held += 1
                } else {
                    usleep(20_000) // not listening yet
                }
            }
        }
        for id: UInt64 in 1...3 where id != follower { hold(100, on: id) }
        try cluster.put("b", "2", via: leader, seconds: 20)
        try cluster.start(follower)
        hold(100, on: follower)

        try cluster.waitUntil("the restarted follower to catch up", seconds: 20, mustRun: [follower]) {
            cluster.client(follower, timeoutMs: 2000).request("GET", "/b?serializable")?.text == "2"
        }
        try cluster.put("c", "3", via: follower, seconds: 20)
        #expect(try cluster.get("c", via: leader, seconds: 20) == "3")
        #expect(cluster.log(leader).contains("did not identify as a member"))
    }

    /// 600 clients sending their request heads a byte a second hold more connections than the
    /// server's cap (512): normal requests are still served at once, each displacing the slow
    /// connection that waited longest, and the slow ones that were not displaced are answered
    /// 408 once their request's time (10 s) is up.
    @Test func slowClientsDoNotLockOthersOut() throws {
        let cluster = try ProcessCluster(size: 1)
        defer { cluster.shutdown() }
        try cluster.start(1, members: 1)
        _ = try cluster.waitForLeader(among: [1])
        try cluster.put("k", "v", via: 1)

        let http = Endpoint(host: "127.0.0.1", port: cluster.httpPorts[0])
        let opened = Date()
        var slow: [Int32] = []
        defer { for fd in slow { close(fd) } }
        for _ in 0..<600 {
            guard let fd = try? Socket.connect(http, timeoutMs: 2000) else { continue }
            _ = Socket.sendAll(fd, Array("G".utf8))
            slow.append(fd)
        }
        let stop = Locked(false)
        let trickler: @Sendable () -> Void = { [slow] in
            let rest = Array("ET /k HTTP/1.1\r\nHost: x\r\nX-Slow: ".utf8) + [UInt8](repeating: UInt8(ascii: "a"), count: 100)
            var k = 0
            while true {
                usleep(1_000_000)
                // Under the lock, so that no byte goes out once the test closed these numbers.
                let stopped = stop.withLock { stopped in
                    if !stopped { for fd in slow { _ = Socket.sendAll(fd, [rest[min(k, rest.count - 1)]]) } }
                    return stopped
                }
                if stopped { return }
                k += 1
            }
        }
        Thread(block: trickler).start()
        defer { stop.withLock { $0 = true } } // runs before the connections are closed

        var served = 0
        for _ in 0..<40 {
            let started = Date()
            let r = cluster.client(1, timeoutMs: 3000).request("GET", "/k?serializable")
            if r?.status == 200 && Date().timeIntervalSince(started) < 2 { served += 1 }
        }
        #expect(served == 40, "\(served) of 40 normal requests served within 2 s")

        // Past the request deadline, no slow connection is left open without an answer.
        usleep(useconds_t(max(0, 12.5 - Date().timeIntervalSince(opened)) * 1_000_000))
        var stillOpen = 0
        for fd in slow {
            var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            if poll(&p, 1, 0) == 0 { stillOpen += 1 }
        }
        #expect(stillOpen == 0, "\(stillOpen) of \(slow.count) slow connections neither answered nor closed")
    }

    /// A request head that is not HTTP (a bare LF line end, a stray CR, control bytes, random
    /// bytes) is answered 400 at once, not after a timeout.
    @Test func malformedRequestHeadsAreAnsweredAtOnce() throws {
        let cluster = try ProcessCluster(size: 1)
        defer { cluster.shutdown() }
        try cluster.start(1, members: 1)
        _ = try cluster.waitForLeader(among: [1])
        var rng = SeededRandomNumberGenerator(seed: 15)
        let cases: [[UInt8]] = [
            Array("GET /k HTTP/1.1\n\n".utf8),
            Array("GET /k HTTP/1.1\r\nHost: x\n\r\n".utf8),
            Array("GET /k HTTP/1.1\r\rHost: x\r\n\r\n".utf8),
            Array("GET /k\0 HTTP/1.1\r\n".utf8),
            (0..<256).map { _ in UInt8.random(in: 0...255, using: &rng) },
        ]
        for bytes in cases {
            let started = Date()
            let r = cluster.client(1, timeoutMs: 3000).raw(bytes)
            #expect(r?.status == 400, "\(bytes.prefix(24)) got \(r?.status ?? 0) after \(Date().timeIntervalSince(started)) s")
        }
        #expect(cluster.client(1).request("GET", "/k?serializable")?.status == 404)
    }

    /// 1,000 junk frames on a member's connection, and 200 connections that never say who they
    /// are: each kind of warning is logged a few times, not once per frame.
    @Test func junkPeerFramesAreLoggedSparingly() throws {
        let cluster = try ProcessCluster()
        defer { cluster.shutdown() }
        for id: UInt64 in 1...3 { try cluster.start(id) }
        _ = try cluster.waitForLeader(among: [1, 2, 3])
        let peer = Endpoint(host: "127.0.0.1", port: cluster.peerPorts[0])
        var rng = SeededRandomNumberGenerator(seed: 16)
        let fd = try Socket.connect(peer, timeoutMs: 2000)
        var bytes = Frame.encode(PeerHello(clusterID: cluster.clusterID, from: 2, to: 1).encoded())
        for _ in 0..<1000 {
            bytes += Frame.encode((0..<Int.random(in: 1..<100, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) })
        }
        #expect(Socket.sendAll(fd, bytes))
        close(fd)
        for _ in 0..<200 {
            guard let s = try? Socket.connect(peer, timeoutMs: 2000) else { continue }
            _ = Socket.sendAll(s, Frame.encode([1, 2, 3]))
            close(s)
        }
        try cluster.put("still", "serving", via: 1)
        try cluster.waitUntil("node 1 to log the junk", seconds: 10) {
            cluster.log(1).contains("dropped a malformed frame")
        }
        usleep(500_000) // the rest of the junk, if it were logged line by line
        let warnings = cluster.log(1).split(separator: "\n").filter { $0.contains("WARN") && $0.contains("transport:") }
        #expect(cluster.log(1).contains("did not identify as a member"))
        #expect(warnings.count <= 20, "\(warnings.count) transport warnings:\n\(warnings.prefix(30).joined(separator: "\n"))")
    }
}
