import WorkbookChecks

/// What the reader asked `workbook` to do, parsed from the command line.
enum Command: Equatable {
    /// No arguments: list the chapters and the reader's progress.
    case list
    /// `run N [args...]`: print chapter N's narration, passing it the remaining arguments.
    case run(chapter: Int, arguments: [String])
    /// `check N`: check the reader's exercises of chapter N.
    case check(chapter: Int)
    /// `hint N.M`: print one exercise's hint.
    case hint(ExerciseID)
    /// `prove`: the CI proof that every check bites.
    case prove
    /// `help`, `-h`, `--help`.
    case help

    /// Parses the arguments that follow the program name. Only the shape is checked here (a
    /// number where a number belongs); whether chapter 12 exists is the command's business.
    static func parse(_ arguments: [String]) throws(UsageError) -> Command {
        guard let name = arguments.first else { return .list }
        let rest = Array(arguments.dropFirst())
        switch name {
        case "list":
            try expectNoMore(rest, after: "list")
            return .list
        case "run":
            guard let first = rest.first else { throw UsageError("run needs a chapter number, as in: workbook run 4") }
            return .run(chapter: try chapterNumber(first), arguments: Array(rest.dropFirst()))
        case "check":
            guard let first = rest.first else { throw UsageError("check needs a chapter number, as in: workbook check 4") }
            try expectNoMore(Array(rest.dropFirst()), after: "check \(first)")
            return .check(chapter: try chapterNumber(first))
        case "hint":
            guard let first = rest.first else { throw UsageError("hint needs an exercise number, as in: workbook hint 4.2") }
            try expectNoMore(Array(rest.dropFirst()), after: "hint \(first)")
            guard let id = ExerciseID(parsing: first) else {
                throw UsageError("'\(first)' is not an exercise number; exercises are numbered chapter.exercise, as in 4.2")
            }
            return .hint(id)
        case "prove":
            try expectNoMore(rest, after: "prove")
            return .prove
        case "help", "-h", "--help":
            return .help
        default:
            throw UsageError("unknown command '\(name)'")
        }
    }

    private static func chapterNumber(_ text: String) throws(UsageError) -> Int {
        guard let n = Int(text), n > 0 else {
            throw UsageError("'\(text)' is not a chapter number; chapters are numbered 1, 2, 3...")
        }
        return n
    }

    private static func expectNoMore(_ rest: [String], after command: String) throws(UsageError) {
        if let extra = rest.first { throw UsageError("unexpected '\(extra)' after '\(command)'") }
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
      workbook                list the chapters and your progress on their exercises
      workbook run N [args]   print chapter N's narration; args go to the chapter's program
                              (--mermaid for its diagram, --help for its flags)
      workbook check N        check your solutions to chapter N's exercises (Sources/Exercises/ChNN.swift)
      workbook hint N.M       print the hint for exercise N.M
      workbook prove          for CI: every check fails on the untouched stubs and passes on the reference
      workbook help           print this help

    From the package root, put `swift run` in front: swift run workbook check 4
    """
