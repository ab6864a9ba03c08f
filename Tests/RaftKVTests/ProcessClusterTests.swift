import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Raft
import Testing
@testable import RaftKV

/// raftkv as it runs for real: separate processes talking TCP on loopback, writing their WALs
/// with fsync, killed with SIGKILL. Serialized: each test runs a cluster of its own, and the
/// machine is small.
@Suite(.serialized) struct ProcessClusterTests {
    /// A 3-process cluster elects a leader and takes writes through every node; every node then
    /// reads every value, linearizably and (once caught up) locally.
    @Test func threeProcessesAcceptWrites() throws {
        let cluster = try ProcessCluster()
        defer { cluster.shutdown() }
        for id: UInt64 in 1...3 { try cluster.start(id) }
        _ = try cluster.waitForLeader(among: [1, 2, 3])
        for k in 0..<15 { try cluster.put("key\(k)", "value\(k)", via: UInt64(k % 3 + 1)) }
        for id: UInt64 in 1...3 {
            for k in 0..<15 { #expect(try cluster.get("key\(k)", via: id) == "value\(k)") }
        }
        try cluster.waitUntil("node 3 caught up locally") {
            cluster.client(3).request("GET", "/key14?serializable")?.text == "value14"
        }
        #expect(cluster.client(2).request("DELETE", "/key0")?.status == 204)
        #expect(cluster.client(1).request("DELETE", "/key0")?.status == 404)
        #expect(try cluster.get("key0", via: 3) == nil)
    }

    /// kill -9 of a follower, then of the leader, with writers running throughout: every write
    /// that was acknowledged is readable on every node after both came back. Then all three are
    /// killed at once and restarted: with no peer to catch up from, each must rebuild its state
    /// from its own snapshot file and WAL. Snapshots every 40 entries, so recovery goes through
    /// snapshot files, WAL compaction and snapshot transfer.
    @Test func killNineLosesNoAcknowledgedWrite() throws {
        let cluster = try ProcessCluster(extraArgs: ["--snapshot-count", "40", "--catch-up-entries", "10",
                                                     "--wal-segment-bytes", "8192"])
        defer { cluster.shutdown() }
        for id: UInt64 in 1...3 { try cluster.start(id) }
        let leader = try cluster.waitForLeader(among: [1, 2, 3])
        let follower: UInt64 = leader == 1 ? 2 : 1

        let acknowledged = Locked<[String: String]>([:])
        let stop = Locked(false)
        let writers = (0..<4).map { w in
            Thread {
                var n = 0
                var clients = (1...3).map { cluster.client(UInt64($0), timeoutMs: 5000) }
                while !stop.withLock({ $0 }) {
                    let key = "w\(w)-\(n)", value = "v\(n)-\(w)"
                    let target = (w + n) % 3
                    if let r = clients[target].request("PUT", "/\(key)", body: Array(value.utf8)), r.status == 204 {
                        acknowledged.withLock { $0[key] = value }
                    } else {
                        clients[target] = cluster.client(UInt64(target + 1), timeoutMs: 5000)
                        usleep(20_000)
                    }
                    n += 1
                }
            }
        }
        for t in writers { t.start() }
        func waitForMoreWrites(_ count: Int) throws {
            let target = acknowledged.withLock { $0.count } + count
            try cluster.waitUntil("\(count) more acknowledged writes", seconds: 90) { acknowledged.withLock { $0.count } >= target }
        }

        try waitForMoreWrites(60)
        cluster.kill9(follower)
        try waitForMoreWrites(60)
        try cluster.start(follower)
        try waitForMoreWrites(60)
        cluster.kill9(leader)
        try waitForMoreWrites(60)
        try cluster.start(leader)
        try waitForMoreWrites(30)
        stop.withLock { $0 = true }
        usleep(6_000_000) // let the writers' last requests finish (they time out within 5 s)

        let expected = acknowledged.withLock { $0 }
        #expect(expected.count >= 270)
        try verify(expected, on: cluster)

        for id: UInt64 in 1...3 { cluster.kill9(id) }
        for id: UInt64 in 1...3 { try cluster.start(id) }
        _ = try cluster.waitForLeader(among: [1, 2, 3])
        try verify(expected, on: cluster)
        for id: UInt64 in 1...3 {
            #expect(cluster.log(id).contains(/recovered: snapshot at [1-9]/), "node \(id) did not start from a snapshot of its own")
        }
    }

    /// Every key of `expected` reads back with its value from every node.
    private func verify(_ expected: [String: String], on cluster: ProcessCluster) throws {
        for id: UInt64 in 1...3 {
            // A linearizable read through the node first: once it answers, the node has
            // applied everything acknowledged before it.
            _ = try cluster.get("w0-0", via: id)
            let c = cluster.client(id)
            var missing: [String] = []
            for (key, value) in expected.sorted(by: { $0.key < $1.key }) {
                var got = c.request("GET", "/\(key)")
                if got?.status == 503 || got == nil { usleep(200_000); got = c.request("GET", "/\(key)") }
                if got?.status != 200 || got?.text != value { missing.append("\(key)=\(got?.status ?? 0):\(got?.text ?? "")") }
            }
            #expect(missing.isEmpty, "node \(id) lost acknowledged writes: \(missing.prefix(10))")
        }
    }

    /// A record half written at the end of the WAL (as a crash mid-write leaves it: the record
    /// up to a sector boundary, then the segment's preallocated zeros) is cut off on restart,
    /// with a log line naming file and offset, and the node serves again with everything it had.
    @Test func tornWALTailRecovers() throws {
        let cluster = try ProcessCluster()
        defer { cluster.shutdown() }
        for id: UInt64 in 1...3 { try cluster.start(id) }
        _ = try cluster.waitForLeader(among: [1, 2, 3])
        for k in 0..<10 { try cluster.put("t\(k)", "v\(k)", via: 1) }
        try cluster.waitUntil("node 2 applied the writes") { cluster.client(2).request("GET", "/t9?serializable")?.text == "v9" }
        cluster.kill9(2)
        let segment = try #require(cluster.walSegments(2).last)
        // Where the records end: the segment is preallocated, so its file is longer.
        let size = try WALSegmentReader.scan(FileIO.readFile(segment), file: segment, isLast: true).validEnd
        let partial = WALRecord.entry(Entry(term: 99, index: 999, data: [UInt8](repeating: 7, count: 1000))).framed()
        let boundary = (size / 512 + 1) * 512
        let h = try #require(FileHandle(forWritingAtPath: segment))
        h.seek(toFileOffset: UInt64(size))
        h.write(Data(partial.prefix(boundary - size)))
        h.closeFile()
        try cluster.start(2)
        try cluster.waitUntil("node 2 back, serving its data") {
            cluster.client(2).request("GET", "/t9?serializable")?.text == "v9"
        }
        #expect(cluster.log(2).contains("torn tail in \(segment) at offset \(size)"))
        try cluster.put("after", "torn", via: 2)
        #expect(try cluster.get("after", via: 1) == "torn")
    }

    /// A flipped byte in the middle of the WAL: the node refuses to start, saying which file and
    /// offset, and exits non-zero, while the other two keep serving.
    @Test func midLogCorruptionRefusesToStart() throws {
        let cluster = try ProcessCluster()
        defer { cluster.shutdown() }
        for id: UInt64 in 1...3 { try cluster.start(id) }
        _ = try cluster.waitForLeader(among: [1, 2, 3])
        for k in 0..<20 { try cluster.put("c\(k)", String(repeating: "x", count: 50), via: 1) }
        try cluster.waitUntil("node 3 applied the writes") { cluster.client(3).request("GET", "/c19?serializable")?.status == 200 }
        cluster.kill9(3)
        let segment = try #require(cluster.walSegments(3).last)
        var bytes = try FileIO.readFile(segment)
        // In the middle of the records, not of the preallocated zeros after them.
        let end = try WALSegmentReader.scan(bytes, file: segment, isLast: true).validEnd
        bytes[end / 2] ^= 0x10
        try Data(bytes).write(to: URL(fileURLWithPath: segment))
        let p = try cluster.start(3)
        try cluster.waitUntil("node 3 to exit", seconds: 30) { !p.isRunning }
        #expect(p.terminationStatus != 0)
        let log = cluster.log(3)
        #expect(log.contains("WAL corrupted in \(segment) at offset"), "\(log.suffix(2000))")
        #expect(log.contains("refusing to start"))
        try cluster.put("still", "serving", via: 1)
        #expect(try cluster.get("still", via: 2) == "serving")
    }

    /// Garbage on the peer port (bad frames, a wrong version, an absurd length, random bytes) and
    /// malformed HTTP requests are refused, each with its reason, and the cluster keeps serving.
    @Test func malformedFramesAndRequestsAreRejected() throws {
        let cluster = try ProcessCluster()
        defer { cluster.shutdown() }
        for id: UInt64 in 1...3 { try cluster.start(id) }
        _ = try cluster.waitForLeader(among: [1, 2, 3])
        try cluster.put("before", "1", via: 1)

        // Frames on node 1's peer port.
        let peer = Endpoint(host: "127.0.0.1", port: cluster.peerPorts[0])
        var rng = SeededRandomNumberGenerator(seed: 7)
        var wrongVersion = MessageCodec.encode(Message(type: .msgHeartbeat, to: 1, from: 2, term: 1))
        wrongVersion[0] = 77
        // The connection says it is member 2's (as a peer's does), then sends junk.
        let frames: [[UInt8]] = [
            Frame.encode(PeerHello(clusterID: cluster.clusterID, from: 2, to: 1).encoded()),
            Frame.encode([]), Frame.encode([1, 2, 3, 4, 5]), Frame.encode(wrongVersion),
            Frame.encode(MessageCodec.encode(Message(type: .msgHeartbeat, to: 9, from: 2, term: 1))),
            Frame.encode(MessageCodec.encode(Message(type: .msgSnap, to: 1, from: 2, term: 1000,
                                                     snapshot: Snapshot(data: [1, 2, 3], metadata: SnapshotMetadata(index: 50, term: 1000))))),
        ] + (0..<50).map { _ in Frame.encode((0..<Int.random(in: 1..<300, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }) }
        let fd = try Socket.connect(peer, timeoutMs: 2000)
        for f in frames { #expect(Socket.sendAll(fd, f)) }
        _ = Socket.sendAll(fd, [0xFF, 0xFF, 0xFF, 0x7F]) // an absurd length: the connection is closed
        close(fd)
        let junk = try Socket.connect(peer, timeoutMs: 2000)
        _ = Socket.sendAll(junk, (0..<4096).map { _ in UInt8.random(in: 0...255, using: &rng) })
        close(junk)

        // Requests on node 2's HTTP port.
        let c = cluster.client(2)
        let cases: [(String, Int)] = [
            ("NONSENSE\r\n\r\n", 400),
            ("GET /k HTTP/3.0\r\n\r\n", 505),
            ("PUT /k HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", 411),
            ("PUT /k HTTP/1.1\r\n\r\n", 411),
            ("PUT /k HTTP/1.1\r\nContent-Length: 99999999\r\n\r\n", 413),
            ("PATCH /k HTTP/1.1\r\nContent-Length: 0\r\n\r\n", 405),
            ("GET / HTTP/1.1\r\n\r\n", 400),
            ("POST /members/abc HTTP/1.1\r\nContent-Length: 3\r\n\r\nxyz", 400),
            ("POST /members/4 HTTP/1.1\r\nContent-Length: 3\r\n\r\nxyz", 400),
            ("GET /%zz HTTP/1.1\r\n\r\n", 400),
            ("GET /" + String(repeating: "k", count: 2000) + " HTTP/1.1\r\n\r\n", 414),
            ("GET /k HTTP/1.1\r\n" + String(repeating: "X-Pad: 0123456789\r\n", count: 600) + "\r\n", 431),
        ]
        for (request, status) in cases {
            let r = c.raw(Array(request.utf8))
            #expect(r?.status == status, "\(request.prefix(40).debugDescription) got \(r?.status ?? 0)")
            #expect(r.map { !$0.text.isEmpty && $0.text.hasSuffix("\n") } == true, "no reason for \(request.prefix(40).debugDescription)")
        }

        // Still serving, everywhere, and node 1 said what it dropped.
        for id: UInt64 in 1...3 { #expect(cluster.isRunning(id)) }
        try cluster.put("after", "2", via: 1)
        for id: UInt64 in 1...3 { #expect(try cluster.get("after", via: id) == "2") }
        let log = cluster.log(1)
        #expect(log.contains("dropped a malformed frame"))
        #expect(log.contains("frame length"))
    }

    /// Without a quorum a write cannot commit: it is answered 503 when its time is up, as is a
    /// linearizable read, while a serializable read still answers from local state.
    @Test func noQuorumTimesOutWith503() throws {
        let cluster = try ProcessCluster()
        defer { cluster.shutdown() }
        for id: UInt64 in 1...3 { try cluster.start(id) }
        _ = try cluster.waitForLeader(among: [1, 2, 3])
        try cluster.put("q", "1", via: 1)
        try cluster.waitUntil("node 1 applied it") { cluster.client(1).request("GET", "/q?serializable")?.text == "1" }
        cluster.kill9(2)
        cluster.kill9(3)
        let c = cluster.client(1, timeoutMs: 20_000)
        let start = Date()
        let put = c.request("PUT", "/q", body: Array("2".utf8))
        let elapsed = Date().timeIntervalSince(start)
        #expect(put?.status == 503)
        #expect(elapsed < 15)
        #expect(c.request("GET", "/q")?.status == 503)
        #expect(c.request("GET", "/q?serializable")?.text == "1")
    }

    /// Membership through the API: a fourth node is added with POST /members/4, joins with
    /// --join, receives the data, and is removed again with DELETE /members/4.
    @Test func addAndRemoveMember() throws {
        let cluster = try ProcessCluster()
        defer { cluster.shutdown() }
        for id: UInt64 in 1...3 { try cluster.start(id) }
        _ = try cluster.waitForLeader(among: [1, 2, 3])
        try cluster.put("m", "before-join", via: 1)
        let add = cluster.client(1).request("POST", "/members/4", body: Array(cluster.clusterURLs[3].utf8))
        #expect(add?.status == 204, "\(add?.text ?? "")")
        try cluster.start(4, members: 4, join: true)
        try cluster.waitUntil("node 4 caught up") { cluster.client(4).request("GET", "/m?serializable")?.text == "before-join" }
        try cluster.put("n", "after-join", via: 4)
        #expect(try cluster.get("n", via: 2) == "after-join")
        #expect(cluster.client(4).request("GET", "/members")?.text.contains("4 \(cluster.clusterURLs[3])") == true)
        #expect(cluster.client(2).request("DELETE", "/members/4")?.status == 204)
        try cluster.waitUntil("node 4 to stop after its removal", seconds: 30) { !cluster.isRunning(4) }
        try cluster.put("o", "after-removal", via: 3)
        #expect(try cluster.get("o", via: 1) == "after-removal")
    }
}
