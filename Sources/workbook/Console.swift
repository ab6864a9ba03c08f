#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Where `workbook` writes. Lines are written straight to the file descriptor, unbuffered, so
/// that if the reader's code traps in the middle of a check, everything printed before (the
/// exercise that was running) is on the screen.
struct Console {
    /// Writes one line of normal output.
    let out: (String) -> Void
    /// Writes one line of error output.
    let err: (String) -> Void

    /// The process's standard output and standard error.
    static var standard: Console {
        Console(out: { writeLine($0, to: 1) }, err: { writeLine($0, to: 2) })
    }

    /// Writes `line` and a newline to `fd`, retrying short writes.
    private static func writeLine(_ line: String, to fd: Int32) {
        var text = line + "\n"
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
}
