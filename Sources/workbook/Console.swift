import RaftSupport

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
        writeAll(line + "\n", to: fd)
    }
}
