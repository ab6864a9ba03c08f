import ExerciseSupport

/// What the reader asked `workbook` to do, parsed from the command line.
enum Command: Equatable {
    /// No arguments: the chapters, the reader's progress, and what to do next.
    case list
    /// `run N [args...]`: chapter N's program (with `--yours`, on the reader's code).
    case run(chapter: Int, arguments: [String])
    /// `check N|N.M|all [options]`: judge the reader's code.
    case check(CheckTarget, CheckOptions)
    /// `hint N.M [K]`: the next hint of an exercise (or hint K).
    case hint(ExerciseID, step: Int?)
    /// `answer N.Q`: the answer to question Q of chapter N.
    case answer(chapter: Int, question: Int)
    /// `watch`: check again whenever an exercise file is saved.
    case watch
    /// `prove`: for CI, every exercise's checks bite (stub, reference, recorded wrong solutions).
    case prove
    /// `help`, `-h`, `--help`.
    case help

    /// Parses the arguments that follow the program name. Only the shape is checked here;
    /// whether chapter 12 exists is the command's business.
    static func parse(_ arguments: [String]) throws(UsageError) -> Command {
        guard let name = arguments.first else { return .list }
        var rest = Array(arguments.dropFirst())
        switch name {
        case "list":
            try expectNoMore(rest, after: "list")
            return .list
        case "run":
            guard let first = rest.first else { throw UsageError("run needs a chapter number, as in: workbook run 4") }
            return .run(chapter: try chapterNumber(first), arguments: Array(rest.dropFirst()))
        case "check":
            guard let first = rest.first else {
                throw UsageError("check needs a chapter, an exercise or all, as in: workbook check 4")
            }
            rest.removeFirst()
            let target: CheckTarget
            if first == "all" {
                target = .all
            } else if let id = ExerciseID(parsing: first) {
                target = .exercise(id)
            } else {
                target = .chapter(try chapterNumber(first))
            }
            return .check(target, try CheckOptions.parse(rest))
        case "hint":
            guard let first = rest.first else { throw UsageError("hint needs an exercise number, as in: workbook hint 4.2") }
            guard let id = ExerciseID(parsing: first) else {
                throw UsageError("'\(first)' is not an exercise number; exercises are numbered chapter.exercise, as in 4.2")
            }
            var step: Int?
            if rest.count >= 2 {
                guard let k = Int(rest[1]), k > 0 else { throw UsageError("'\(rest[1])' is not a hint number (1, 2, 3...)") }
                step = k
            }
            try expectNoMore(Array(rest.dropFirst(2)), after: "hint \(first)")
            return .hint(id, step: step)
        case "answer":
            guard let first = rest.first, let q = ExerciseID(parsing: first) else {
                throw UsageError("answer needs a chapter and a question number, as in: workbook answer 4.2 (question 2 of chapter 4)")
            }
            try expectNoMore(Array(rest.dropFirst()), after: "answer \(first)")
            return .answer(chapter: q.chapter, question: q.number)
        case "watch":
            try expectNoMore(rest, after: "watch")
            return .watch
        case "prove":
            try expectNoMore(rest, after: "prove")
            return .prove
        case "help", "-h", "--help":
            return .help
        default:
            throw UsageError("unknown command '\(name)'")
        }
    }

    static func chapterNumber(_ text: String) throws(UsageError) -> Int {
        guard let n = Int(text), n > 0 else {
            throw UsageError("'\(text)' is not a chapter number; chapters are numbered 1, 2, 3...")
        }
        return n
    }

    static func expectNoMore(_ rest: [String], after command: String) throws(UsageError) {
        if let extra = rest.first { throw UsageError("unexpected '\(extra)' after '\(command)'") }
    }
}

/// What `check` judges.
enum CheckTarget: Equatable {
    case chapter(Int)
    case exercise(ExerciseID)
    case all

    /// The chapter whose exercises (and the ones before) are plugged in; nil for all.
    var chapter: Int? {
        switch self {
        case .chapter(let n): n
        case .exercise(let id): id.chapter
        case .all: nil
        }
    }
}

/// How much of the simulator a check runs, and how it reports.
struct CheckOptions: Equatable {
    /// Seeds to run; nil: the default batch (20 for a chapter, 300 for all).
    var seeds: ClosedRange<UInt64>?
    /// Steps per seed; nil: the default.
    var steps: Int?
    /// Print every event of a broken seed, not only the last ones.
    var verbose = false

    static func parse(_ arguments: [String]) throws(UsageError) -> CheckOptions {
        var options = CheckOptions()
        var rest = arguments[...]
        while let argument = rest.popFirst() {
            switch argument {
            case "--seeds", "--seed":
                guard let text = rest.popFirst() else { throw UsageError("\(argument) needs a value, as in \(argument) 17") }
                let bounds = text.split(separator: "-").compactMap { UInt64($0) }
                if bounds.count == 1, bounds[0] >= 1 {
                    options.seeds = bounds[0]...bounds[0]
                } else if bounds.count == 2, bounds[0] >= 1, bounds[0] <= bounds[1] {
                    options.seeds = bounds[0]...bounds[1]
                } else {
                    throw UsageError("seeds are given as N or FIRST-LAST, as in --seeds 1-30, not '\(text)'")
                }
            case "--steps":
                guard let text = rest.popFirst(), let n = Int(text), n > 0 else {
                    throw UsageError("--steps needs a positive number")
                }
                options.steps = n
            case "--verbose":
                options.verbose = true
            default:
                throw UsageError("unknown option '\(argument)' for check (options: --seeds N|A-B, --steps N, --verbose)")
            }
        }
        return options
    }
}

/// A command line `workbook` cannot make sense of. It exits with status 2 after the message and
/// the usage.
struct UsageError: Error, Equatable {
    let message: String

    init(_ message: String) { self.message = message }
}

/// How to call `workbook`.
let usage = """
    usage:
      workbook                 the chapters, your progress, and what to do next
      workbook run N [args]    chapter N's program (--yours: on your code; --help: its flags)
      workbook check N         judge your chapter N code (and the chapters before it): the
                               exercises' checks, etcd's transcripts, simulator seeds
      workbook check N.M       the same, with only exercise N.M's checks
      workbook check all       the capstone: every exercise, every transcript, 300 seeds
                               (options: --seeds A-B, --steps N, --verbose)
      workbook hint N.M        the next hint for exercise N.M (hint N.M K: hint K)
      workbook answer N.Q      the answer to question Q of chapter N
      workbook watch           check again whenever you save an exercise file
      workbook prove           for CI: every exercise's checks fail on the stub and on two
                               recorded wrong solutions, and pass on the reference
      workbook help            this help

    Your code goes in Sources/Exercises/ChNN/YourCode/, one file per exercise.
    From the package root, put `swift run` in front: swift run workbook check 4
    """
