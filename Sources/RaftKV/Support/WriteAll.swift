#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one loop that writes a whole buffer through a call that may write less than asked (a
/// file's `write`, a socket's `send`), retrying on EINTR.
enum WriteAll {
    /// Calls `write` with the bytes not yet written until none are left. Returns 0 when every byte
    /// was written, else the errno of the call that failed (EIO for a call that wrote nothing).
    static func write(_ bytes: [UInt8], _ write: (UnsafeRawPointer, Int) -> Int) -> Int32 {
        bytes.withUnsafeBytes { buf -> Int32 in
            guard let base = buf.baseAddress else { return 0 }
            var done = 0
            while done < buf.count {
                let n = write(base + done, buf.count - done)
                if n < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                if n == 0 { return EIO }
                done += n
            }
            return 0
        }
    }
}
