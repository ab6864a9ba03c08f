#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The C library calls whose names our own methods shadow (`close`, `listen`, `accept`...), and
/// the few constants that differ between Glibc and Darwin, in one place so that the rest of
/// raftkv builds on both without `#if`.
enum LibC {
    #if canImport(Glibc)
    static let streamSocket = Int32(SOCK_STREAM.rawValue)
    /// Flags for `send`: no SIGPIPE when the peer is gone (Darwin sets `SO_NOSIGPIPE` instead).
    static let sendFlags = Int32(MSG_NOSIGNAL)
    #else
    static let streamSocket = SOCK_STREAM
    static let sendFlags: Int32 = 0
    #endif
    /// Flags for a `send` that must not wait on a blocking socket (`Socket.sendNow`).
    static let sendNowFlags = sendFlags | Int32(MSG_DONTWAIT)

    @discardableResult
    static func close(_ fd: Int32) -> Int32 {
        #if canImport(Glibc)
        Glibc.close(fd)
        #else
        Darwin.close(fd)
        #endif
    }

    static func open(_ path: String, _ flags: Int32, _ mode: mode_t = 0) -> Int32 {
        #if canImport(Glibc)
        Glibc.open(path, flags, mode)
        #else
        Darwin.open(path, flags, mode)
        #endif
    }

    static func rename(_ from: String, _ to: String) -> Int32 {
        #if canImport(Glibc)
        Glibc.rename(from, to)
        #else
        Darwin.rename(from, to)
        #endif
    }

    static func listen(_ fd: Int32, _ backlog: Int32) -> Int32 {
        #if canImport(Glibc)
        Glibc.listen(fd, backlog)
        #else
        Darwin.listen(fd, backlog)
        #endif
    }

    static func accept(_ fd: Int32) -> Int32 {
        #if canImport(Glibc)
        Glibc.accept(fd, nil, nil)
        #else
        Darwin.accept(fd, nil, nil)
        #endif
    }

    static func connect(_ fd: Int32, _ addr: UnsafePointer<sockaddr>, _ len: socklen_t) -> Int32 {
        #if canImport(Glibc)
        Glibc.connect(fd, addr, len)
        #else
        Darwin.connect(fd, addr, len)
        #endif
    }

    /// A TCP socket that is not inherited by child processes and, on Darwin, raises no SIGPIPE.
    static func streamSocketFD() -> Int32 {
        let fd = socket(AF_INET, streamSocket, 0)
        if fd >= 0 { configure(fd) }
        return fd
    }

    /// Close-on-exec (and no SIGPIPE on Darwin) for a socket from `socket` or `accept`.
    static func configure(_ fd: Int32) {
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        #if canImport(Darwin)
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &one, socklen_t(MemoryLayout<Int32>.size))
        #endif
    }

    /// Reserves the first `length` bytes of the file `fd` (zero-filled, the size grows to at
    /// least `length`); returns whether it did. Where it cannot (Darwin has no
    /// `posix_fallocate`), the file simply grows as it is written.
    static func preallocate(_ fd: Int32, _ length: Int) -> Bool {
        #if canImport(Glibc)
        posix_fallocate(fd, 0, off_t(length)) == 0
        #else
        false
        #endif
    }

    /// Flushes a file's data to the device (Darwin has no `fdatasync`; `F_FULLFSYNC` is its
    /// equivalent that reaches the platter).
    static func dataSync(_ fd: Int32) -> Int32 {
        #if canImport(Darwin)
        fcntl(fd, F_FULLFSYNC)
        #else
        fdatasync(fd)
        #endif
    }
}
