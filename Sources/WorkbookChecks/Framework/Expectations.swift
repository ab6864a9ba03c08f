/// The rows of a table check: each row calls the implementation and compares the result with the
/// answer written in the table.
///
/// The answers are written out by hand, never computed by calling the reference, so that a table
/// documents the behaviour in a form the learner can read; the test suite then proves every table
/// right by running it against the reference.
public struct Expectations {
    /// How many rows were checked.
    public private(set) var rows = 0
    /// One line per failing row, in table order.
    public private(set) var failures: [String] = []

    public init() {}

    /// Checks one row: `call` describes the call the way the learner would write it.
    public mutating func equal<T: Equatable>(_ actual: T, _ expected: T, _ call: @autoclosure () -> String) {
        rows += 1
        if actual != expected {
            failures.append("\(call()) returned \(show(actual)), expected \(show(expected))")
        }
    }

    /// Checks a condition that is not a plain comparison (for scenario checks).
    public mutating func require(_ condition: Bool, _ failure: @autoclosure () -> String) {
        rows += 1
        if !condition { failures.append(failure()) }
    }

    /// The check's verdict: the first failure is the most useful to read, so it comes first.
    public var outcome: CheckOutcome {
        guard let first = failures.first else {
            return .pass(rows == 1 ? "1 row" : "\(rows) rows")
        }
        let more = failures.count - 1
        return .fail(more == 0 ? first : "\(first)\n(and \(more) more failing \(more == 1 ? "row" : "rows"))")
    }
}

/// A value as the learner would write it: optionals unwrapped (`nil` for none) rather than
/// printed as `Optional(...)`.
func show(_ value: Any) -> String {
    let mirror = Mirror(reflecting: value)
    if mirror.displayStyle == .optional {
        guard let wrapped = mirror.children.first else { return "nil" }
        return show(wrapped.value)
    }
    return String(describing: value)
}
