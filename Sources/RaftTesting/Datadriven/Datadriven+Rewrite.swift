extension Datadriven {
    /// Runs every block of `text` through `handler` and returns the text with each block's expected
    /// output replaced by what the handler printed; comments, directives and inputs are kept as
    /// written. An output with blank lines is written between `----` pairs. Every block runs, failing
    /// or not; the text is returned only if the whole file was read and no handler threw.
    ///
    /// datadriven: `RunTest` with `-rewrite`.
    public static func rewrite(
        _ text: String, sourceName: String, _ handler: (DatadrivenTestCase) throws -> String
    ) -> (text: String?, result: DatadrivenFileResult) {
        let run = replacingOutputs(text, sourceName: sourceName, runningUnplacedBlocks: true, handler)
        if run.thrown != nil { return (nil, DatadrivenFileResult(sourceName: sourceName, blocks: run.blocks)) }
        let result = DatadrivenFileResult(sourceName: sourceName, blocks: run.blocks, parseError: run.parseError)
        return (run.parseError == nil ? run.text : nil, result)
    }

    /// The walk `rewrite` and `transcript` share: the text up to each block's output copied, the
    /// handler's output written in its place, and, when the whole file was read, the rest of the
    /// text. It stops at the first block whose handler throws, with that block's output not
    /// written. A block parsed without a place in the text (`span` nil) is run only when
    /// `runningUnplacedBlocks` is set, and has nothing written either way.
    static func replacingOutputs(
        _ text: String, sourceName: String, runningUnplacedBlocks: Bool,
        _ handler: (DatadrivenTestCase) throws -> String
    ) -> (text: String, blocks: [DatadrivenBlockResult], thrown: (any Error)?, parseError: DatadrivenError?) {
        let (cases, spans, parseError) = parseWithSpans(text, sourceName: sourceName)
        let lines = LineReader.split(text)
        var out = ""
        var cursor = 0
        var blocks: [DatadrivenBlockResult] = []
        for (testCase, span) in zip(cases, spans) {
            if span == nil && !runningUnplacedBlocks { continue }
            if let span {
                for line in lines[cursor..<span.start] { out += line + "\n" }
                cursor = span.end
            }
            var actual: String
            do {
                actual = try handler(testCase)
            } catch {
                blocks.append(DatadrivenBlockResult(testCase: testCase, actual: "", error: "\(error)"))
                return (out, blocks, error, parseError)
            }
            if !actual.isEmpty && !actual.hasSuffix("\n") { actual += "\n" }
            blocks.append(DatadrivenBlockResult(testCase: testCase, actual: actual))
            guard span != nil else { continue }
            if LineReader.split(actual).contains(where: { trimmed($0).isEmpty }) {
                out += "----\n" + actual + "----\n----\n"
            } else {
                out += actual
            }
        }
        if parseError == nil {
            for line in lines[cursor...] { out += line + "\n" }
        }
        return (out, blocks, nil, parseError)
    }
}
