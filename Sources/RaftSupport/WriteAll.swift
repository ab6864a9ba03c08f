#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes all of `text` to the file descriptor `fd` (2 is standard error), retrying short writes,
/// without Foundation and without buffering: raft's `DefaultLogger` and the command-line tools
/// print with it, so a line written before a crash is on the screen. Gives up quietly when the
/// descriptor fails (there is nowhere left to report that).
package func writeAll(_ text: String, to fd: Int32) {
    var text = text
    text.withUTF8 { buffer in
        guard let base = buffer.baseAddress else { return }
        var written = 0
        while written < buffer.count {
            let n = write(fd, base + written, buffer.count - written)
            if n <= 0 { return }
            written += n
        }
    }
}
