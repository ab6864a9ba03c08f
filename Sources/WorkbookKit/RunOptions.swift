import Raft

/// The knobs of one chapter run, parsed from its command line in one place (`parse`) and carried
/// by the run's `Trace` into the scenario and into every node's `Config` (`Cluster.makeServer`
/// calls `configure(_:)` before the scenario's own settings).
///
/// Every chapter takes `--seed`, `--verbose`, `--mermaid` and `--help`; a chapter with an obvious
/// experiment takes a few more (`Flag`), and refuses the others with a usage error.
public struct RunOptions: Sendable {
    /// Which seed the nodes' election-timeout generators start from. 0 (the default) gives node
    /// `id` the seed `id`, as the chapters' printed runs use.
    public var seed: UInt64 = 0
    /// Hide nothing: every line, message and raft log line (debug level included), also in the
    /// stretches a chapter normally summarizes (`Trace.quietly`).
    public var verbose = false
    /// Print the run's Mermaid sequence diagram instead of its narration.
    public var mermaid = false
    /// Print the chapter's flags instead of running it.
    public var help = false
    /// Chapter 2: whether its nodes run PreVote (`--no-prevote` turns it off).
    public var preVote = true
    /// Chapter 2: whether its nodes run CheckQuorum (`--no-checkquorum` turns it off).
    public var checkQuorum = true
    /// Chapter 5: whether the clock-skew experiment's cluster serves reads from the leader's
    /// lease (`ReadOnlyOption.leaseBased`) instead of a heartbeat round (`.safe`).
    public var leaseReads = false
    /// Chapter 5: how many ticks the old leader's clock falls behind the others' while it is cut
    /// off (`--skew K`).
    public var skew = 0
    /// Run on the learner's code (`--yours`): the chapter program hands the run to `workbook`,
    /// which builds the learner's exercises and runs the chapter with them plugged in.
    public var yours = false
    /// The learner's pieces of raft plugged into every node (set by the workbook's judge for a
    /// `--yours` run); nil runs the library's own code.
    package var parts: Parts?

    public init() {}

    /// The settings every node of every cluster gets from the command line: its seeded
    /// election-timeout generator. Applied over the cluster's base `Config`, before the scenario's
    /// own settings.
    public func configure(_ config: inout Config) {
        config.randomNumberGenerator = SeededRandomNumberGenerator(seed: nodeSeed(config.id))
        config.parts = parts
    }

    /// The seed of node `id`'s generator: `id` itself by default, a mix of `seed` and `id` with
    /// `--seed`.
    public func nodeSeed(_ id: UInt64) -> UInt64 {
        seed == 0 ? id : SeededRandomNumberGenerator.mix(seed) &+ id
    }

    /// The flags whose values differ from the defaults, as they would be typed (for a line at the
    /// top of the narration); empty for a default run.
    public var changed: [String] {
        var out: [String] = []
        if seed != 0 { out.append("--seed \(seed)") }
        if !preVote { out.append("--no-prevote") }
        if !checkQuorum { out.append("--no-checkquorum") }
        if leaseReads { out.append("--lease") }
        if skew != 0 { out.append("--skew \(skew)") }
        return out
    }
}

extension RunOptions {
    /// A command-line flag of the chapter programs.
    public enum Flag: String, Sendable, CaseIterable {
        case seed = "--seed"
        case verbose = "--verbose"
        case mermaid = "--mermaid"
        case help = "--help"
        case noPreVote = "--no-prevote"
        case noCheckQuorum = "--no-checkquorum"
        case lease = "--lease"
        case skew = "--skew"
        case yours = "--yours"

        /// The flags every chapter takes.
        public static let common: [Flag] = [.seed, .verbose, .mermaid, .yours, .help]

        /// `--seed N`: the flag with its value's name, if it takes one.
        var synopsis: String {
            switch self {
            case .seed: "--seed N"
            case .skew: "--skew K"
            default: rawValue
            }
        }

        /// The program a chapter-specific flag belongs to.
        var owner: String? {
            switch self {
            case .noPreVote, .noCheckQuorum: "ch02-raft-roles"
            case .lease, .skew: "ch05-read-index"
            default: nil
            }
        }

        /// One line of help.
        var help: String {
            switch self {
            case .seed: "seed the election-timeout generators with N (default 0: node i uses seed i, the printed run)"
            case .verbose: "hide nothing: every raft log line (debug too), message and step, also where the chapter summarizes"
            case .mermaid: "print the run as a Mermaid sequence diagram instead of the narration"
            case .help: "print this help"
            case .yours: "run on your code: every exercise you have written plugged in (built by `workbook`), compared with the library's run"
            case .noPreVote: "turn PreVote off: a cut-off follower raises its term and disrupts the leader on its return"
            case .noCheckQuorum: "turn CheckQuorum off: a cut-off leader stays leader and accepts writes that never commit"
            case .lease: "part 5 serves reads from the leader's lease (ReadOnlyOption.leaseBased) instead of a heartbeat round"
            case .skew: "part 5: the cut-off leader's clock falls K ticks behind the others' (try 10 with --lease)"
            }
        }
    }

    /// Parses `arguments` for a program that takes `flags` (the common ones are always taken).
    /// Throws a usage error naming the offending argument and the program's synopsis.
    public static func parse(_ arguments: [String], flags: [Flag], program: String) throws(WorkbookError) -> RunOptions {
        let accepted = Flag.common + flags
        var options = RunOptions()
        var rest = arguments[...]
        func usage(_ problem: String) -> WorkbookError {
            .usage(synopsis(program, accepted) + "\n  \(problem) (\(program) --help says what each flag does)")
        }
        func number(after flag: Flag) throws(WorkbookError) -> UInt64 {
            guard let text = rest.popFirst() else { throw usage("\(flag.rawValue) needs a number") }
            guard let n = UInt64(text) else { throw usage("\(flag.rawValue) needs a number, not '\(text)'") }
            return n
        }
        while let argument = rest.popFirst() {
            // `-h` is the customary short form of --help.
            guard let flag = argument == "-h" ? .help : Flag(rawValue: argument), accepted.contains(flag) else {
                if let flag = Flag(rawValue: argument), let owner = flag.owner {
                    throw usage("\(argument) is not a flag of this chapter, but of \(owner)")
                }
                throw usage("unknown argument '\(argument)'")
            }
            switch flag {
            case .seed: options.seed = try number(after: flag)
            case .verbose: options.verbose = true
            case .mermaid: options.mermaid = true
            case .help: options.help = true
            case .yours: options.yours = true
            case .noPreVote: options.preVote = false
            case .noCheckQuorum: options.checkQuorum = false
            case .lease: options.leaseReads = true
            case .skew:
                let k = try number(after: flag)
                guard k <= 1000 else { throw usage("--skew takes at most 1000 ticks") }
                options.skew = Int(k)
            }
        }
        return options
    }

    /// `ch02-raft-roles [--seed N] [--verbose] ...`
    static func synopsis(_ program: String, _ flags: [Flag]) -> String {
        ([program] + flags.map { "[\($0.synopsis)]" }).joined(separator: " ")
    }

    /// The `--help` text: the synopsis, then one line per flag.
    public static func help(_ program: String, flags: [Flag]) -> String {
        let accepted = Flag.common + flags
        let width = accepted.map(\.synopsis.count).max() ?? 0
        var out = "usage: " + synopsis(program, accepted) + "\n"
        for flag in accepted {
            out += "  " + flag.synopsis + String(repeating: " ", count: width - flag.synopsis.count) + "  " + flag.help + "\n"
        }
        return out
    }
}
