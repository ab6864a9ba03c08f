import Raft

extension Chapter {
    /// A chapter whose `run` plays `scenario` into a fresh trace and returns the narration, or the
    /// diagram with `--mermaid`. The executable's name follows from the slug. The command line is
    /// parsed into `RunOptions` (the common flags and the chapter's own `flags`), which the trace
    /// carries into the scenario and its clusters.
    init(number: Int, slug: String, title: String, flags: [RunOptions.Flag] = [],
         scenario: @escaping @Sendable (Trace) throws -> Void) {
        let executable = "ch" + slug
        self.init(number: number, slug: slug, title: title, executable: executable) { arguments, parts in
            var options = try RunOptions.parse(arguments, flags: flags, program: executable)
            if options.help { return RunOptions.help(executable, flags: flags) }
            if options.yours && parts == nil {
                throw WorkbookError.usage("--yours runs through the workbook, which builds your code first: "
                    + "swift run \(executable) --yours (or swift run workbook run \(number) --yours)")
            }
            options.parts = parts
            let trace = Trace(options: options)
            trace.say("Chapter \(number): \(title)")
            if !options.changed.isEmpty { trace.say("(run with \(options.changed.joined(separator: " ")))") }
            try scenario(trace)
            return options.mermaid ? Mermaid.sequenceDiagram(trace) : trace.narration
        }
    }
}
