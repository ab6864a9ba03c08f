/// Standard output, unbuffered: what the CLI prints must reach a pipe (a test, a script) at once,
/// not when a buffer fills.
public enum Console {
    public static func out(_ line: String) {
        FileIO.writeBestEffort(1, Array((line + "\n").utf8))
    }
}
