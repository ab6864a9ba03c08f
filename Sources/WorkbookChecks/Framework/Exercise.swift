/// One exercise: what to write, where, a hint, and the checks that decide whether it is solved.
///
/// Its checks are typed against the chapter's protocol; the exercise keeps them type-erased so
/// that the CLI can run any exercise against any set of `Solutions`.
public struct Exercise: Sendable {
    public let id: ExerciseID
    /// A few words: "findConflict".
    public let title: String
    /// One line saying what the exercise is about.
    public let summary: String
    /// The requirement to implement, as it appears in `Sources/Exercises/ChNN.swift`.
    public let symbol: String
    /// A nudge towards the answer; the stub carries the same text (`workbook hint N.M`).
    public let hint: String
    /// The checks, in the order they are printed.
    public let checks: [AnyCheck]

    /// An exercise whose checks are written against `Subject`, the chapter's protocol, which
    /// `subject` picks out of a set of solutions.
    public init<Subject>(
        _ id: ExerciseID, _ title: String, summary: String, symbol: String, hint: String,
        subject: @escaping @Sendable (Solutions) -> Subject, checks: [Check<Subject>]
    ) {
        self.id = id
        self.title = title
        self.summary = summary
        self.symbol = symbol
        self.hint = hint
        self.checks = checks.map { check in
            AnyCheck(name: check.name) { solutions in check.run(subject(solutions)) }
        }
    }

    /// The file in which the learner solves it.
    public var file: String { ExerciseCatalog.stubFile(chapter: id.chapter) }

    /// Runs every check against `solutions`.
    public func run(_ solutions: Solutions) -> [(check: AnyCheck, outcome: CheckOutcome)] {
        checks.map { ($0, $0.run(solutions)) }
    }

    /// Whether every check passes against `solutions`.
    public func isSolved(by solutions: Solutions) -> Bool {
        checks.allSatisfy { $0.run(solutions).passed }
    }
}

/// A check whose protocol has been erased: it runs against a whole set of solutions.
public struct AnyCheck: Sendable {
    public let name: String
    let body: @Sendable (Solutions) -> CheckOutcome

    init(name: String, body: @escaping @Sendable (Solutions) -> CheckOutcome) {
        self.name = name
        self.body = body
    }

    public func run(_ solutions: Solutions) -> CheckOutcome { body(solutions) }
}
