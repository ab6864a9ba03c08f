#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Standard error, written to without Foundation: raft's `DefaultLogger` and the command-line
/// tools print their diagnostics here.
package enum StandardError {
    /// Writes all of `text`, retrying short writes; gives up quietly when the descriptor fails
    /// (there is nowhere left to report that).
    package static func writeAll(_ text: String) {
        var text = text
        text.withUTF8 { buffer in
            guard let base = buffer.baseAddress else { return }
            var written = 0
            while written < buffer.count {
                let n = write(2, base + written, buffer.count - written)
                if n <= 0 { return }
                written += n
            }
        }
    }
}
