import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Raft
import Testing
@testable import RaftKV

/// `PeerSender` writes a batch from the caller's thread when it can and leaves the rest to its
/// thread: whichever path a batch takes, frames must reach the peer whole, once, in the order of
/// the `send` calls, after the connection's hello; answers from the peer and snapshot reports must
/// still come from the thread.
///
/// The peer here is a bare listening socket read by the test, so that it can read slowly, close
/// connections, or answer.
@Suite struct PeerSenderTests {
    static let hello = PeerHello(clusterID: 0xC1, from: 1, to: 2)

    /// What the sender reported.
    final class Recorder: Sendable {
        let unreachable = Locked(0)
        let removed = Locked(0)
        let snapshots = Locked<[SnapshotStatus]>([])

        var reports: TransportReports {
            TransportReports(unreachable: { [self] _ in unreachable.withLock { $0 += 1 } },
                             snapshot: { [self] _, s in snapshots.withLock { $0.append(s) } },
                             removed: { [self] _ in removed.withLock { $0 += 1 } })
        }
    }

    /// The peer's end: a listener on a free loopback port.
    struct Peer {
        let listener: Int32
        let endpoint: Endpoint

        init(receiveBuffer: Int32? = nil) throws {
            listener = try Socket.listen(Endpoint(host: "127.0.0.1", port: 0))
            if var size = receiveBuffer { // inherited by the accepted connections
                setsockopt(listener, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
            }
            endpoint = Endpoint(host: "127.0.0.1", port: Socket.localPort(listener))
        }

        /// The next connection, within 10 s; its reads give up after 10 s of silence.
        func accept() -> Int32? {
            var p = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
            guard poll(&p, 1, 10_000) > 0, let fd = Socket.accept(listener) else { return nil }
            Socket.setTimeouts(fd, receiveMs: 10_000, sendMs: 10_000)
            return fd
        }

        func close() { LibC.close(listener) }
    }

    /// One frame read from a connection, as the receiving node would take it.
    enum Read: Equatable {
        case hello(PeerHello)
        case message(Message)
        /// Closed, timed out, or bytes that are no frame we send.
        case broken(String)
    }

    static func read(_ frames: inout FrameReader) -> Read {
        guard case .frame(let payload) = frames.next() else { return .broken("closed") }
        if let hello = try? PeerHello(decoding: payload) { return .hello(hello) }
        do {
            return .message(try MessageCodec.decode(payload))
        } catch {
            return .broken("\(error)")
        }
    }

    static func sender(_ peer: Peer, _ recorder: Recorder, sendBuffer: Int32? = nil) -> PeerSender {
        let s = PeerSender(id: 2, endpoint: peer.endpoint, hello: hello, reports: recorder.reports,
                           logger: DiscardLogger(), sendBuffer: sendBuffer)
        s.start()
        return s
    }

    /// A message the reader can check: `tag` in its term, `seq` in its index and in its entry's
    /// payload of `size` bytes.
    static func message(tag: UInt64, seq: UInt64, size: Int = 16) -> Message {
        var data = [UInt8](repeating: UInt8(truncatingIfNeeded: seq), count: size)
        withUnsafeBytes(of: seq.littleEndian) { data.replaceSubrange(0..<min(8, size), with: $0.prefix(size)) }
        return Message(type: .msgApp, to: 2, from: 1, term: tag, index: seq,
                       entries: [Entry(term: tag, index: seq, data: data)])
    }

    static func intact(_ m: Message, size: Int) -> Bool {
        m.entries.count == 1 && m.entries[0].data == message(tag: m.term, seq: m.index, size: size).entries[0].data
    }

    /// Polls `condition` every 5 ms for up to `seconds`.
    static func eventually(_ seconds: Double = 10, _ condition: () -> Bool) -> Bool {
        let end = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while ContinuousClock.now < end {
            if condition() { return true }
            usleep(5_000)
        }
        return condition()
    }

    /// Sends messages `tag`/1, 2, ... one at a time until one went the direct way (the thread
    /// connected, wrote the hello with the first, and let go); the last sequence number used.
    static func warmUp(_ sender: PeerSender, tag: UInt64, size: Int = 16) -> UInt64 {
        var seq: UInt64 = 0
        let ok = eventually {
            seq += 1
            sender.send([message(tag: tag, seq: seq, size: size)])
            if sender.countsSoFar.direct > 0 { return true }
            usleep(20_000)
            return false
        }
        #expect(ok, "no batch went the direct way")
        return seq
    }

    /// Reads a connection on a thread of its own: the hello, then messages until `count` came,
    /// one satisfied `until`, or the stream broke, sleeping `pause` before the first read and
    /// again every `pauseEvery` frames: a reader that stalls now and then, so that the sender's
    /// socket buffer fills, and drains in between, so that the sender catches up.
    final class Reader: Sendable {
        let frames = Locked<[Read]>([])
        let done = Locked(false)

        init(_ peer: Peer, count: Int, pause: Duration = .zero, pauseEvery: Int = 0,
             until: @escaping @Sendable (Read) -> Bool = { _ in false }) {
            let thread = Thread { [self] in
                defer { done.withLock { $0 = true } }
                guard let fd = peer.accept() else {
                    frames.withLock { $0.append(.broken("no connection")) }
                    return
                }
                defer { LibC.close(fd) }
                var reader = FrameReader(fd: fd)
                defer { reader.release() }
                let seconds = Double(pause.components.seconds) + Double(pause.components.attoseconds) * 1e-18
                for i in 0...count {
                    if i == 0 || (pauseEvery > 0 && i % pauseEvery == 0) { Thread.sleep(forTimeInterval: seconds) }
                    let r = PeerSenderTests.read(&reader)
                    frames.withLock { $0.append(r) }
                    if case .broken = r { return }
                    if until(r) { return }
                }
            }
            thread.start()
        }

        /// Frames read so far.
        var count: Int { frames.withLock { $0.count } }

        /// Waits until `n` frames were read, or the reader stopped.
        func waitFor(_ n: Int) {
            _ = PeerSenderTests.eventually(30) { count >= n || done.withLock { $0 } }
        }

        func wait() -> Bool { PeerSenderTests.eventually(30) { done.withLock { $0 } } }
    }

    /// (a) Many batches from one thread, to a peer that reads slowly: the socket buffer fills, the
    /// direct writes leave remainders to the thread, and every frame still arrives whole, once,
    /// in order.
    @Test func batchesArriveInOrderThroughASlowReader() throws {
        let peer = try Peer(receiveBuffer: 8 << 10)
        defer { peer.close() }
        let recorder = Recorder()
        let sender = Self.sender(peer, recorder, sendBuffer: 16 << 10)
        defer { sender.stop() }
        // Fewer messages than the queue holds, so that none is dropped however the paths mix;
        // 8 MB in all, through small socket buffers.
        let count = 4000, size = 2000, batch = 8
        let reader = Reader(peer, count: count, pause: .milliseconds(20), pauseEvery: 400)
        var seq = Self.warmUp(sender, tag: 1, size: size)
        while seq < UInt64(count) {
            let k = min(batch, count - Int(seq))
            sender.send((0..<k).map { _ in
                seq += 1
                return Self.message(tag: 1, seq: seq, size: size)
            })
            // 200 frames ahead of the reader, wait until it read them all: the buffers fill while
            // it stalls, and the thread catches up (and leaves writing to the callers again).
            if Int(seq) - reader.count > 200 { reader.waitFor(Int(seq) + 1) }
        }
        let (messages, frames) = Self.delivered(reader)
        let inOrder = messages.map(\.index) == Array(1...UInt64(count)) // not inside #expect: 4000 numbers
        #expect(inOrder, "\(frames.count) frames, the last \(String(describing: frames.last).prefix(80))")
        Self.expectCleanRun(messages, size: size, recorder, sender)
    }

    /// The messages the reader got (after checking that the connection began with the hello),
    /// and every frame.
    static func delivered(_ reader: Reader, sourceLocation: SourceLocation = #_sourceLocation) -> ([Message], [Read]) {
        #expect(reader.wait(), "the reader did not finish", sourceLocation: sourceLocation)
        let frames = reader.frames.withLock { $0 }
        #expect(frames.first == .hello(Self.hello), sourceLocation: sourceLocation)
        let messages = frames.dropFirst().compactMap { r -> Message? in if case .message(let m) = r { m } else { nil } }
        return (messages, frames)
    }

    /// Every message whole, nothing reported unreachable, and both paths taken: direct writes
    /// and remainders handed to the thread.
    static func expectCleanRun(_ messages: [Message], size: Int, _ recorder: Recorder, _ sender: PeerSender,
                               sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(messages.allSatisfy { Self.intact($0, size: size) }, sourceLocation: sourceLocation)
        #expect(recorder.unreachable.withLock { $0 } == 0, sourceLocation: sourceLocation)
        let counts = sender.countsSoFar
        #expect(counts.direct > 0 && counts.handedOff > 0, "direct \(counts.direct), handed off \(counts.handedOff)",
                sourceLocation: sourceLocation)
    }

    /// (b) Two threads sending at once, to a slow reader: every frame arrives exactly once and
    /// each thread's frames in the order it sent them.
    @Test func concurrentSendersKeepTheirOrder() throws {
        let peer = try Peer(receiveBuffer: 8 << 10)
        defer { peer.close() }
        let recorder = Recorder()
        let sender = Self.sender(peer, recorder, sendBuffer: 16 << 10)
        defer { sender.stop() }
        let perThread = 1500, size = 1500
        let reader = Reader(peer, count: 2 * perThread, pause: .milliseconds(20), pauseEvery: 300)
        let finished = Locked(0)
        let first = Self.warmUp(sender, tag: 1, size: size)
        let sent = Locked(Int(first))
        for tag in [UInt64(1), 2] {
            Thread {
                var seq: UInt64 = tag == 1 ? first : 0
                var n = Int(tag)
                while seq < UInt64(perThread) {
                    n = n * 7 % 11 // batches of 1 to 10
                    let k = min(n, perThread - Int(seq))
                    sender.send((0..<k).map { _ in
                        seq += 1
                        return Self.message(tag: tag, seq: seq, size: size)
                    })
                    let all = sent.withLock { n in
                        n += k
                        return n
                    }
                    if all - reader.count > 200 { reader.waitFor(all + 1) }
                }
                finished.withLock { $0 += 1 }
            }.start()
        }
        #expect(Self.eventually(30) { finished.withLock { $0 } == 2 })
        let (messages, frames) = Self.delivered(reader)
        #expect(messages.count == 2 * perThread,
                "\(messages.count) messages, the last frame \(String(describing: frames.last).prefix(80))")
        for tag in [UInt64(1), 2] {
            let inOrder = messages.filter { $0.term == tag }.map(\.index) == Array(1...UInt64(perThread))
            #expect(inOrder, "thread \(tag)'s messages are missing, repeated or out of order")
        }
        Self.expectCleanRun(messages, size: size, recorder, sender)
    }

    /// (c) The hello is the first frame of every connection, and comes only there: the peer closes
    /// each connection after a few messages, and the sender connects again.
    @Test func everyConnectionStartsWithTheHello() throws {
        let peer = try Peer()
        defer { peer.close() }
        let recorder = Recorder()
        let sender = Self.sender(peer, recorder)
        defer { sender.stop() }
        let stop = Locked(false)
        Thread {
            var seq: UInt64 = 0
            while !stop.withLock({ $0 }) {
                seq += 1
                sender.send([Self.message(tag: 1, seq: seq)])
                usleep(1_000)
            }
        }.start()
        defer { stop.withLock { $0 = true } }
        var connections: [[Read]] = []
        for _ in 0..<4 {
            guard let fd = peer.accept() else {
                Issue.record("connection \(connections.count + 1) did not come")
                return
            }
            var reader = FrameReader(fd: fd)
            connections.append((0..<6).map { _ in Self.read(&reader) })
            reader.release()
            LibC.close(fd)
        }
        for (i, frames) in connections.enumerated() {
            #expect(frames.first == .hello(Self.hello),
                    "connection \(i + 1) began with \(String(describing: frames.first).prefix(80))")
            #expect(frames.dropFirst().allSatisfy { if case .message = $0 { true } else { false } },
                    "connection \(i + 1): \(frames.dropFirst().map { "\($0)".prefix(40) })")
        }
        let direct = sender.countsSoFar.direct
        #expect(direct > 0, "no batch went the direct way")
    }

    /// (d) A removal notice written back by the peer is noticed while every batch after the first
    /// goes out directly, so that only the thread's periodic look finds it.
    @Test func removalNoticeIsNoticedOnTheDirectPath() throws {
        let peer = try Peer()
        defer { peer.close() }
        let recorder = Recorder()
        let sender = Self.sender(peer, recorder)
        defer { sender.stop() }
        let stop = Locked(false)
        defer { stop.withLock { $0 = true } }
        // The peer answers a while after the first message (long after the thread's look that
        // follows the first batch), keeps the connection open, and reads on.
        Thread {
            guard let fd = peer.accept() else { return }
            defer { LibC.close(fd) }
            var reader = FrameReader(fd: fd)
            defer { reader.release() }
            _ = PeerSenderTests.read(&reader)
            _ = PeerSenderTests.read(&reader)
            usleep(300_000)
            _ = Socket.sendAll(fd, Frame.encode(Transport.removedNotice))
            while !stop.withLock({ $0 }) {
                if case .broken = PeerSenderTests.read(&reader) { return }
            }
        }.start()
        sender.send([Self.message(tag: 1, seq: 1)])
        var seq: UInt64 = 1
        let noticed = Self.eventually(5) {
            seq += 1
            sender.send([Self.message(tag: 1, seq: seq)])
            return recorder.removed.withLock { $0 } > 0
        }
        #expect(noticed, "no removal reported after \(seq) messages")
        #expect(sender.countsSoFar.direct > 0)
    }

    /// (e) A batch holding a snapshot goes through the thread, which reports it finished once
    /// written, even while other batches go out directly.
    @Test func snapshotBatchReportsFinish() throws {
        let peer = try Peer()
        defer { peer.close() }
        let recorder = Recorder()
        let sender = Self.sender(peer, recorder)
        defer { sender.stop() }
        let reader = Reader(peer, count: 1000) { if case .message(let m) = $0 { m.type == .msgSnap } else { false } }
        let seq = Self.warmUp(sender, tag: 1)
        var snap = MessageCodecTests.full
        snap.to = 2
        snap.from = 1
        sender.send([Self.message(tag: 1, seq: seq + 1), snap])
        #expect(Self.eventually { recorder.snapshots.withLock { $0 } == [.finish] },
                "snapshot reports: \(recorder.snapshots.withLock { $0 })")
        #expect(reader.wait())
        let frames = reader.frames.withLock { $0 }
        #expect(frames.contains(.message(snap)))
        #expect(recorder.unreachable.withLock { $0 } == 0)
    }

    /// `Transport.send` hands each peer its messages in order; a message to an unknown peer is
    /// reported unreachable, and a snapshot in it failed.
    @Test func transportGroupsPerPeerAndReportsUnknownPeers() throws {
        let peer = try Peer()
        defer { peer.close() }
        let recorder = Recorder()
        let unknown = Locked<[UInt64]>([])
        let reports = TransportReports(unreachable: { id in unknown.withLock { $0.append(id) } },
                                       snapshot: { _, s in recorder.snapshots.withLock { $0.append(s) } })
        let transport = try Transport(localID: 1, clusterID: Self.hello.clusterID,
                                      listen: Endpoint(host: "127.0.0.1", port: 0),
                                      reports: reports,
                                      logger: DiscardLogger(), deliver: { _ in })
        defer { transport.stop() }
        transport.addPeer(2, peer.endpoint)
        let reader = Reader(peer, count: 3)
        var snap = MessageCodecTests.full
        snap.to = 9
        snap.from = 1
        transport.send([Self.message(tag: 1, seq: 1), snap, Self.message(tag: 1, seq: 2), Self.message(tag: 1, seq: 3)])
        #expect(reader.wait())
        let frames = reader.frames.withLock { $0 }
        let expected: [Read] = [.hello(Self.hello)] + (1...3).map { .message(Self.message(tag: 1, seq: $0)) }
        #expect(Array(frames.prefix(4)) == expected)
        #expect(unknown.withLock { $0 } == [9])
        #expect(recorder.snapshots.withLock { $0 } == [.failure])
    }
}
