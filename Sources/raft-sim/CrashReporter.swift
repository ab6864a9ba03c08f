#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// If raft (or the simulator) traps, the process dies before any report: this prints the seeds
/// the workers were running, so that the crash can be replayed with `--seed`.
///
/// Each worker writes its current seed to its own slot; the signal handler reads the slots and
/// writes them out with `write(2)` only (no allocation, as a signal handler must).
enum CrashReporter {
    static let capacity = 64
    nonisolated(unsafe) static let slots: UnsafeMutablePointer<UInt64> = {
        let p = UnsafeMutablePointer<UInt64>.allocate(capacity: capacity)
        p.initialize(repeating: 0, count: capacity)
        return p
    }()
    nonisolated(unsafe) static let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: 4096)

    /// Records that worker `k` now runs `seed` (0: none).
    static func running(_ seed: UInt64, worker k: Int) {
        if k < capacity { slots[k] = seed }
    }

    static func install() {
        _ = slots
        _ = buffer
        for sig in [SIGILL, SIGTRAP, SIGSEGV, SIGBUS, SIGABRT, SIGFPE] {
            signal(sig) { sig in
                CrashReporter.report()
                signal(sig, SIG_DFL)
                raise(sig)
            }
        }
    }

    private static func report() {
        var n = 0
        func put(_ bytes: StaticString) {
            bytes.withUTF8Buffer { b in
                for c in b where n < 4000 { buffer[n] = c; n += 1 }
            }
        }
        func put(_ v: UInt64) {
            var digits:
                (
                    UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                    UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8
                ) =
                    (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
            var count = 0
            var x = v
            withUnsafeMutableBytes(of: &digits) { d in
                repeat {
                    d[count] = UInt8(48 + x % 10)
                    x /= 10
                    count += 1
                } while x > 0
                while count > 0 && n < 4000 {
                    count -= 1
                    buffer[n] = d[count]
                    n += 1
                }
            }
        }
        put("\nraft-sim: crashed while running seed(s):")
        for k in 0..<capacity where slots[k] != 0 {
            put(" ")
            put(slots[k])
        }
        put("\nreplay one with: raft-sim --seed N --steps STEPS\n")
        _ = write(2, buffer, n)
    }
}
