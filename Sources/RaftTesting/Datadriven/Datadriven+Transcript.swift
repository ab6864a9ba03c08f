extension Datadriven {
    /// The transcript of running `text` through `handler`: the text with each block's expected
    /// output replaced by what the handler printed (as `rewrite` writes it), for reading rather
    /// than for writing back. A block whose handler throws gets `error: ...` as its output and ends
    /// the transcript there; a file that cannot be parsed to the end ends with a comment saying
    /// where.
    ///
    /// datadriven: none (ours; what `-rewrite` would write, printed instead).
    public static func transcript(
        _ text: String, sourceName: String, _ handler: (DatadrivenTestCase) throws -> String
    ) -> (text: String, result: DatadrivenFileResult) {
        let (cases, spans, parseError) = parseWithSpans(text, sourceName: sourceName)
        let lines = LineReader.split(text)
        var out = ""
        var cursor = 0
        var blocks: [DatadrivenBlockResult] = []
        for (testCase, span) in zip(cases, spans) {
            guard let span else { continue }
            for line in lines[cursor..<span.start] { out += line + "\n" }
            cursor = span.end
            var actual: String
            do {
                actual = try handler(testCase)
            } catch {
                blocks.append(DatadrivenBlockResult(testCase: testCase, actual: "", error: "\(error)"))
                out += "error: \(error)\n"
                return (out, DatadrivenFileResult(sourceName: sourceName, blocks: blocks))
            }
            if !actual.isEmpty && !actual.hasSuffix("\n") { actual += "\n" }
            blocks.append(DatadrivenBlockResult(testCase: testCase, actual: actual))
            if LineReader.split(actual).contains(where: { trimmed($0).isEmpty }) {
                out += "----\n" + actual + "----\n----\n"
            } else {
                out += actual
            }
        }
        if let parseError {
            out += "# (the file could not be read further: \(parseError))\n"
        } else {
            for line in lines[cursor...] { out += line + "\n" }
        }
        return (out, DatadrivenFileResult(sourceName: sourceName, blocks: blocks, parseError: parseError))
    }
}
