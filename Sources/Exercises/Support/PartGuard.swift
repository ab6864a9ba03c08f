import RaftSupport
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Knows which exercise's code is running, so that a crash in it (a trap, an index out of range)
/// is reported as that exercise failing instead of as a mystery.
///
/// Every part the judge plugs in runs inside `run(_:_:)`, which records the exercise for the
/// duration of the call (and restores the outer one after it: parts call each other through raft).
/// `installCrashReport` makes the fatal signals print that exercise before the process ends.
public enum PartGuard {
    /// The exercise running now (`ExerciseID.code`), or 0.
    static let current = Atomic<Int>(0)
    /// Calls into each exercise, by `code` (chapter * 100 + number).
    static let counts = Locked<[Int: Int]>([:])

    /// Runs `body`, one of exercise `id`'s functions, recording that it runs.
    @inline(__always)
    public static func run<T, E: Error>(_ id: ExerciseID, _ body: () throws(E) -> T) throws(E) -> T {
        let code = id.code
        counts.withLock { $0[code, default: 0] += 1 }
        let outer = current.exchange(code, ordering: .relaxed)
        defer { current.store(outer, ordering: .relaxed) }
        return try body()
    }

    /// How many times exercise `id`'s code was called so far in this process.
    public static func calls(of id: ExerciseID) -> Int { counts.withLock { $0[id.code] ?? 0 } }

    /// The exercise whose code is running, if any.
    public static var running: ExerciseID? {
        let code = current.load(ordering: .relaxed)
        return code == 0 ? nil : ExerciseID(chapter: code / 100, number: code % 100)
    }

    /// On a fatal signal, writes `workbook: crashed in exercise N.M` (or `outside your code`) to
    /// standard error, then lets the signal end the process as usual.
    public static func installCrashReport() {
        for sig in [SIGILL, SIGTRAP, SIGSEGV, SIGBUS, SIGABRT, SIGFPE] {
            signal(sig) { sig in
                PartGuard.reportCrash()
                signal(sig, SIG_DFL)
                raise(sig)
            }
        }
    }

    /// Only `write(2)` and stack memory: a signal handler may not allocate.
    private static func reportCrash() {
        let code = current.load(ordering: .relaxed)
        var line: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 0, 0, 0, 0)
        var n = 0
        withUnsafeMutableBytes(of: &line) { b in
            if code != 0 {
                // Chapters and exercises stay below 100: at most two digits each.
                let chapter = code / 100, number = code % 100
                if chapter >= 10 { b[n] = UInt8(48 + chapter / 10); n += 1 }
                b[n] = UInt8(48 + chapter % 10); n += 1
                b[n] = UInt8(ascii: "."); n += 1
                if number >= 10 { b[n] = UInt8(48 + number / 10); n += 1 }
                b[n] = UInt8(48 + number % 10); n += 1
            }
        }
        let prefix: StaticString = "\nworkbook-judge: crashed "
        _ = prefix.withUTF8Buffer { write(2, $0.baseAddress, $0.count) }
        if code == 0 {
            let text: StaticString = "outside your code\n"
            _ = text.withUTF8Buffer { write(2, $0.baseAddress, $0.count) }
        } else {
            let text: StaticString = "in exercise "
            _ = text.withUTF8Buffer { write(2, $0.baseAddress, $0.count) }
            _ = withUnsafeBytes(of: &line) { write(2, $0.baseAddress, n) }
            let end: StaticString = "\n"
            _ = end.withUTF8Buffer { write(2, $0.baseAddress, $0.count) }
        }
    }
}
