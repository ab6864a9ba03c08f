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
        let run = replacingOutputs(text, sourceName: sourceName, runningUnplacedBlocks: false, handler)
        if let thrown = run.thrown {
            return (run.text + "error: \(thrown)\n", DatadrivenFileResult(sourceName: sourceName, blocks: run.blocks))
        }
        var out = run.text
        if let parseError = run.parseError {
            out += "# (the file could not be read further: \(parseError))\n"
        }
        return (out, DatadrivenFileResult(sourceName: sourceName, blocks: run.blocks, parseError: run.parseError))
    }
}
