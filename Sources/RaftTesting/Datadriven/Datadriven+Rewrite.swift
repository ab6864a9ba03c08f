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
        let (cases, spans, parseError) = parseWithSpans(text, sourceName: sourceName)
        let lines = LineReader.split(text)
        var out = ""
        var cursor = 0
        var blocks: [DatadrivenBlockResult] = []
        for (testCase, span) in zip(cases, spans) {
            var actual: String
            do {
                actual = try handler(testCase)
            } catch {
                blocks.append(DatadrivenBlockResult(testCase: testCase, actual: "", error: "\(error)"))
                return (nil, DatadrivenFileResult(sourceName: sourceName, blocks: blocks))
            }
            if !actual.isEmpty && !actual.hasSuffix("\n") { actual += "\n" }
            blocks.append(DatadrivenBlockResult(testCase: testCase, actual: actual))
            guard let span else { continue }
            for line in lines[cursor..<span.start] { out += line + "\n" }
            if LineReader.split(actual).contains(where: { trimmed($0).isEmpty }) {
                out += "----\n" + actual + "----\n----\n"
            } else {
                out += actual
            }
            cursor = span.end
        }
        for line in lines[cursor...] { out += line + "\n" }
        let result = DatadrivenFileResult(sourceName: sourceName, blocks: blocks, parseError: parseError)
        return (parseError == nil ? out : nil, result)
    }
}
