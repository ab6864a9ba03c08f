import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import RaftKV

/// `FrameReader` cuts frames out of whatever each `recv` brought: many frames in one read, a
/// frame split over several reads, a frame straddling the end of its buffer, and frames larger
/// than the buffer must all come out whole and in order.
@Suite struct FrameReaderTests {
    /// A connected pair of stream sockets: what is written to `.1` is read from `.0`.
    private func pair() throws -> (Int32, Int32) {
        var fds: [Int32] = [0, 0]
        #if canImport(Glibc)
        let kind = Int32(SOCK_STREAM.rawValue)
        #else
        let kind = SOCK_STREAM
        #endif
        guard socketpair(AF_UNIX, kind, 0, &fds) == 0 else { throw SystemError("socketpair") }
        return (fds[0], fds[1])
    }

    private func payload(_ n: Int, _ seed: UInt8) -> [UInt8] {
        (0..<n).map { UInt8(truncatingIfNeeded: $0 &* 31) &+ seed }
    }

    @Test func framesComeOutWholeAndInOrder() throws {
        let (r, w) = try pair()
        defer { close(r); close(w) }
        // Sizes chosen so frames straddle the 64 KiB buffer's end, exceed it, and follow tiny ones.
        let sizes = [0, 1, 5, 40_000, 30_000, 3, 70_000, 200_000, 65_532, 65_536, 17, 64 << 10 - 4]
        let frames = sizes.enumerated().map { payload($0.element, UInt8($0.offset)) }
        let writer = Thread {
            var bytes: [UInt8] = []
            for f in frames { bytes += Frame.encode(f) }
            // Written in odd-sized pieces, so that reads end in the middle of lengths and payloads.
            var k = 0, piece = 1
            while k < bytes.count {
                let end = min(bytes.count, k + piece)
                _ = Socket.sendAll(w, Array(bytes[k..<end]))
                k = end
                piece = piece * 7 % 50_021 + 1
            }
            shutdown(w, Int32(SHUT_WR))
        }
        writer.start()
        var reader = FrameReader(fd: r)
        defer { reader.release() }
        for (i, expected) in frames.enumerated() {
            guard case .frame(let got) = reader.next() else {
                Issue.record("frame \(i) (\(expected.count) bytes) did not come")
                return
            }
            let same = got == expected // not inside #expect, which would print both arrays
            #expect(same, "frame \(i) of \(expected.count) bytes came as \(got.count) different bytes")
        }
        guard case .closed = reader.next() else {
            Issue.record("a frame after the last one")
            return
        }
    }

    @Test func refusesImpossibleLengths() throws {
        let (r, w) = try pair()
        defer { close(r); close(w) }
        _ = Socket.sendAll(w, Frame.encode(payload(10, 0)) + [0xFF, 0xFF, 0xFF, 0x7F])
        var reader = FrameReader(fd: r)
        defer { reader.release() }
        guard case .frame = reader.next(maxPayload: 100) else { Issue.record("first frame missing"); return }
        guard case .oversized(let n) = reader.next(maxPayload: 100) else { Issue.record("length not refused"); return }
        #expect(n == 0x7FFF_FFFF)
    }
}
