import Raft

/// One named check of an exercise. It gets the `Parts` with the exercise's part plugged in (and no
/// other), calls it on the real types, and compares what happens with the library's own code or
/// with answers written out by hand.
package struct Check: Sendable {
    /// What the check establishes, as a sentence: "a gap after the last entry is refused".
    package let name: String
    let body: @Sendable (Parts, inout Expectations) throws -> Void

    package init(_ name: String, _ body: @escaping @Sendable (Parts, inout Expectations) throws -> Void) {
        self.name = name
        self.body = body
    }

    /// Runs the check with `parts` plugged in.
    package func run(_ parts: Parts) -> CheckOutcome {
        var expect = Expectations()
        do {
            try body(parts, &expect)
        } catch let missing as MissingPart {
            return .fail("\(missing)")
        } catch {
            expect.require(false, "stopped with an error: \(error)")
        }
        return expect.outcome
    }
}

/// The verdict of one check.
package enum CheckOutcome: Sendable, Equatable {
    case pass(String)
    case fail(String)

    package var passed: Bool { if case .pass = self { true } else { false } }
}

/// A check asked for a part that is not plugged in: a bug in the workbook, not in the learner's code.
package struct MissingPart: Error, CustomStringConvertible {
    package let name: String
    package var description: String { "the part \(name) is not plugged in" }
}

extension Parts {
    /// The plugged-in part at `keyPath`, or a `MissingPart` error.
    package func require<T>(_ keyPath: KeyPath<Parts, T?>, _ name: String) throws -> T {
        guard let part = self[keyPath: keyPath] else { throw MissingPart(name: name) }
        return part
    }
}

/// The rows of a check: each compares what happened with what should have.
package struct Expectations {
    /// How many rows were checked.
    package private(set) var rows = 0
    /// One line per failing row, in order.
    package private(set) var failures: [String] = []

    package init() {}

    /// One row: `call` describes the call the way the learner would write it.
    package mutating func equal<T: Equatable>(_ actual: T, _ expected: T, _ call: @autoclosure () -> String) {
        rows += 1
        if actual != expected {
            failures.append("\(call()) gave \(show(actual)), expected \(show(expected))")
        }
    }

    /// A condition that is not a plain comparison.
    package mutating func require(_ condition: Bool, _ failure: @autoclosure () -> String) {
        rows += 1
        if !condition { failures.append(failure()) }
    }

    /// The verdict: the first failure is the most useful to read, so it comes first.
    package var outcome: CheckOutcome {
        guard let first = failures.first else { return .pass(rows == 1 ? "1 case" : "\(rows) cases") }
        let more = failures.count - 1
        return .fail(more == 0 ? first : "\(first)\n(and \(more) more failing \(more == 1 ? "case" : "cases"))")
    }
}

/// A value as the learner would write it: optionals unwrapped (`nil` for none).
package func show(_ value: Any) -> String {
    let mirror = Mirror(reflecting: value)
    if mirror.displayStyle == .optional {
        guard let wrapped = mirror.children.first else { return "nil" }
        return show(wrapped.value)
    }
    return String(describing: value)
}
