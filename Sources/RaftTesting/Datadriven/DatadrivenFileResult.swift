/// The outcome of a whole file.
///
/// datadriven: one `RunTest` call.
public struct DatadrivenFileResult: Sendable, Hashable {
    /// The name the file was read under (used in positions).
    ///
    /// datadriven: `testDataReader.sourceName`.
    public var sourceName: String
    /// The blocks run, in order. Running stops at the first failing block, as datadriven does.
    ///
    /// datadriven: the directives run by `runTestInternal`.
    public var blocks: [DatadrivenBlockResult]
    /// Set when the file could not be read to the end (a malformed directive); blocks before it
    /// were run.
    ///
    /// datadriven: the reader's `t.Fatalf`.
    public var parseError: DatadrivenError?

    /// A file result.
    ///
    /// datadriven: none (ours).
    public init(sourceName: String, blocks: [DatadrivenBlockResult], parseError: DatadrivenError? = nil) {
        self.sourceName = sourceName
        self.blocks = blocks
        self.parseError = parseError
    }

    /// Whether the whole file was read and every block passed.
    ///
    /// datadriven: `!t.Failed()`.
    public var passed: Bool { parseError == nil && blocks.allSatisfy(\.passed) }

    /// The first block that did not pass.
    ///
    /// datadriven: where `RunTest` stops.
    public var firstFailure: DatadrivenBlockResult? { blocks.first { !$0.passed } }

    /// Why the file failed (empty when it passed).
    ///
    /// datadriven: the failing test's message.
    public var failureReport: String {
        if let failure = firstFailure { return failure.failureReport }
        if let parseError { return "\(parseError)\n" }
        return ""
    }
}
