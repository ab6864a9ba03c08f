/// The outcome of one block: what the handler printed (normalized) against what was expected.
///
/// datadriven: one directive run by `runDirective`.
public struct DatadrivenBlockResult: Sendable, Hashable {
    /// The block.
    ///
    /// datadriven: `TestData`.
    public var testCase: DatadrivenTestCase
    /// The handler's output, with a final newline added when it had none (datadriven's rule).
    ///
    /// datadriven: the `actual` of `runDirective`.
    public var actual: String
    /// Set when the handler could not run the block at all (it threw); the file stops there.
    ///
    /// datadriven: a `t.Fatal` inside the test function.
    public var error: String?

    /// A block result.
    ///
    /// datadriven: none (ours).
    public init(testCase: DatadrivenTestCase, actual: String, error: String? = nil) {
        self.testCase = testCase
        self.actual = actual
        self.error = error
    }

    /// Whether the block ran and printed exactly what was expected.
    ///
    /// datadriven: `d.Expected == actual`.
    public var passed: Bool { error == nil && actual == testCase.expected }

    /// A readable account of the failure (empty when the block passed): position, directive,
    /// input, then the expected and actual output (or a line diff when they are long).
    ///
    /// datadriven: the `expected:`/`found:` message of `runDirective`.
    public var failureReport: String {
        if passed { return "" }
        var out = "\(testCase.pos): \(testCase.directive)\n"
        if !testCase.input.isEmpty { out += testCase.input + "\n" }
        if let error {
            return out + "error: \(error)\n"
        }
        let expectedLines = LineDiff.lines(testCase.expected)
        let actualLines = LineDiff.lines(actual)
        if expectedLines.count <= 20 && actualLines.count <= 20 {
            out += "expected:\n\(testCase.expected)"
            out += "actual:\n\(actual)"
        } else {
            out += "diff (-expected +actual):\n"
            out += LineDiff.unified(expectedLines, actualLines, context: 3)
        }
        return out
    }
}
