/// The verdict of one check on one implementation.
///
/// A check never traps on a wrong answer: it reports what it saw, so that the learner reads
/// "findConflict(...) returned 0, expected 3" instead of a crash.
public struct CheckOutcome: Sendable, Hashable {
    /// Whether every row of the check held.
    public var passed: Bool
    /// What went wrong (the first failing row, and how many more failed), or a short summary of
    /// what was checked when it passed.
    public var message: String

    public init(passed: Bool, message: String) {
        self.passed = passed
        self.message = message
    }

    /// A passing outcome.
    public static func pass(_ message: String) -> CheckOutcome { CheckOutcome(passed: true, message: message) }

    /// A failing outcome.
    public static func fail(_ message: String) -> CheckOutcome { CheckOutcome(passed: false, message: message) }
}
