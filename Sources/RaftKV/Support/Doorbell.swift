#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Wakes a thread sleeping in `poll(2)` from another thread: a non-blocking pipe whose read end
/// the sleeper polls. A pipe rather than Linux's eventfd so that one code path serves Linux and
/// macOS; the ringer rings only when the sleeper needs it (`HTTPEventLoop`'s inbox decides), so
/// the cost is one write and one read per batch, not per message.
final class Doorbell: Sendable {
    /// The end to poll for `POLLIN`.
    let readFD: Int32
    private let writeFD: Int32

    init() throws(SystemError) {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw SystemError("pipe") }
        for fd in fds {
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL, 0) | O_NONBLOCK)
        }
        readFD = fds[0]
        writeFD = fds[1]
    }

    deinit {
        LibC.close(readFD)
        LibC.close(writeFD)
    }

    /// Makes `readFD` readable. A full pipe (EAGAIN) already is, so the error is ignored.
    func ring() {
        var byte: UInt8 = 1
        while write(writeFD, &byte, 1) < 0 && errno == EINTR {}
    }

    /// Empties the pipe, so that the next `poll` sleeps until the next ring.
    func drain() {
        var scratch = [UInt8](repeating: 0, count: 64)
        while true {
            let n = read(readFD, &scratch, scratch.count)
            if n > 0 { continue }
            if n < 0 && errno == EINTR { continue }
            return
        }
    }
}
