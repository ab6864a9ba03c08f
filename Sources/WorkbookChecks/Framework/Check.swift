/// One named check of an exercise, written against the exercise's protocol (`Subject`) so that the
/// same check runs on the learner's stub and on the reference.
public struct Check<Subject>: Sendable {
    /// What the check establishes, as a sentence: "a gap after the last entry is refused".
    public let name: String
    let body: @Sendable (Subject) -> CheckOutcome

    /// A table check: `rows` calls the implementation and records each expected answer.
    ///
    ///     Check("the middle of three voters decides") { ch, expect in
    ///         expect.equal(ch.committedIndex(voters: [1, 2, 3], acked: [1: 5, 2: 7, 3: 6]), 6,
    ///                      "committedIndex(voters: [1, 2, 3], acked: [1: 5, 2: 7, 3: 6])")
    ///     }
    public init(_ name: String, _ rows: @escaping @Sendable (Subject, inout Expectations) -> Void) {
        self.name = name
        body = { subject in
            var expect = Expectations()
            rows(subject, &expect)
            return expect.outcome
        }
    }

    /// A check from a function that decides the outcome itself (used by the scenario checks).
    public init(_ name: String, outcome: @escaping @Sendable (Subject) -> CheckOutcome) {
        self.name = name
        body = outcome
    }

    /// Runs the check on one implementation.
    public func run(_ subject: Subject) -> CheckOutcome { body(subject) }
}

extension Check where Subject: Sendable {
    /// A property check: on every input, the implementation must answer what the reference (the
    /// real library) answers. Tables pin down the rules one case at a time; this catches whatever
    /// case the tables forgot.
    ///
    /// Against the reference itself it passes trivially; it exists for the learner's code.
    public static func agreesWithReference<Input: Sendable, Output: Equatable & Sendable>(
        _ name: String,
        reference: Subject,
        inputs: [Input],
        describe: @escaping @Sendable (Input) -> String,
        _ call: @escaping @Sendable (Subject, Input) -> Output
    ) -> Check {
        Check(name, outcome: { subject in
            var disagreements = 0
            var first: String?
            for input in inputs {
                let expected = call(reference, input)
                let actual = call(subject, input)
                if actual != expected {
                    disagreements += 1
                    if first == nil {
                        first = "\(describe(input)) returned \(show(actual)), the library answers \(show(expected))"
                    }
                }
            }
            guard let first else { return .pass("\(inputs.count) cases") }
            return .fail("\(first)\n(\(disagreements) of \(inputs.count) cases disagree)")
        })
    }
}
