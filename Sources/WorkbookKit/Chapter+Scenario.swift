extension Chapter {
    /// A chapter whose `run` plays `scenario` into a fresh trace and returns the narration, or the
    /// diagram with `--mermaid`. The executable's name follows from the slug.
    init(number: Int, slug: String, title: String, scenario: @escaping @Sendable (Trace) throws -> Void) {
        let executable = "ch" + slug
        self.init(number: number, slug: slug, title: title, executable: executable) { arguments in
            var mermaid = false
            for argument in arguments {
                guard argument == "--mermaid" else {
                    throw WorkbookError.usage("\(executable) [--mermaid] (unknown argument \(argument))")
                }
                mermaid = true
            }
            let trace = Trace()
            trace.say("Chapter \(number): \(title)")
            try scenario(trace)
            return mermaid ? Mermaid.sequenceDiagram(trace) : trace.narration
        }
    }
}
