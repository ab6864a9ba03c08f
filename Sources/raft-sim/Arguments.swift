import Raft
import RaftSimulation

/// raft-sim's command line.
struct Arguments {
    var seeds: ClosedRange<UInt64> = 1...100
    var steps = 2000
    var bug: InjectedBug?
    var replay: String?
    var saveSchedule: String?
    var raftLog: LogLevel?
    var fuzz = 0
    var jobs = 1
    var shrinkBudget = 2000
    var strictLease = false
    var eventLines = 60
    var progress = 0
    var stopAfter = 0
    var fingerprints = false
    var help = false

    static let usage = """
        usage: raft-sim [--seeds A-B | --seed N] [--steps N] [--jobs N] [--bug forget-vote]
                        [--shrink-budget N] [--events N] [--progress N] [--stop-after N] [--fingerprints]
               raft-sim --replay FILE
               raft-sim --fuzz N [--seeds A-B]

          --seeds A-B        run seeds A through B (default 1-100)
          --seed N           run one seed
          --steps N          steps (ticks) per seed (default 2000)
          --jobs N           run seeds on N threads (default 1)
          --bug forget-vote  inject the lying-fsync bug: a restarted node forgets its vote
          --shrink-budget N  replays spent shortening a violation's trace (default 2000, 0: none)
          --strict-lease     count stale lease reads from a deposed leader as violations
          --events N         events shown before a violation (default 60)
          --progress N       print a progress line to stderr every N seeds
          --stop-after N     stop after N violations (default: never)
          --fingerprints     print each seed's outcome fingerprint (for determinism checks)
          --replay FILE      replay a trace printed by a violation report
          --save-schedule FILE  with --seed: write the run's full schedule (a trace --replay reads)
          --raft-log LEVEL   with --replay: show raft's log lines (DEBUG, INFO...) among the events
          --fuzz N           instead of simulating: N malformed messages to a node in every role,
                             with sync and async storage writes, for each seed

        Ends with the line "<N> seeds, <M> steps, <V> violations", after a summary of the
        faults injected. Exits 1 when there was a violation.
        """

    struct Invalid: Error, CustomStringConvertible {
        var description: String
    }

    init(_ args: ArraySlice<String>) throws {
        var rest = args
        func value(_ flag: String) throws -> String {
            guard let v = rest.popFirst() else { throw Invalid(description: "\(flag) needs a value") }
            return v
        }
        func number(_ flag: String) throws -> Int {
            let v = try value(flag)
            guard let n = Int(v), n >= 0 else { throw Invalid(description: "\(flag): not a number: \(v)") }
            return n
        }
        while let flag = rest.popFirst() {
            switch flag {
            case "--seeds":
                let v = try value(flag)
                let parts = v.split(separator: "-")
                guard parts.count == 2, let a = UInt64(parts[0]), let b = UInt64(parts[1]), a <= b else {
                    throw Invalid(description: "--seeds wants A-B, got \(v)")
                }
                seeds = a...b
            case "--seed":
                let v = try value(flag)
                guard let n = UInt64(v) else { throw Invalid(description: "--seed: not a number: \(v)") }
                seeds = n...n
            case "--steps": steps = try number(flag)
            case "--jobs": jobs = max(1, try number(flag))
            case "--bug":
                let v = try value(flag)
                guard let b = InjectedBug(rawValue: v) else { throw Invalid(description: "unknown bug \(v)") }
                bug = b
            case "--replay": replay = try value(flag)
            case "--save-schedule": saveSchedule = try value(flag)
            case "--raft-log":
                let v = try value(flag)
                guard let l = LogLevel.allCases.first(where: { $0.description == v.uppercased() }) else {
                    throw Invalid(description: "unknown log level \(v)")
                }
                raftLog = l
            case "--shrink-budget": shrinkBudget = try number(flag)
            case "--events": eventLines = try number(flag)
            case "--progress": progress = try number(flag)
            case "--stop-after": stopAfter = try number(flag)
            case "--fingerprints": fingerprints = true
            case "--fuzz": fuzz = try number(flag)
            case "--strict-lease": strictLease = true
            case "-h", "--help": help = true
            default: throw Invalid(description: "unknown option \(flag)")
            }
        }
    }
}
