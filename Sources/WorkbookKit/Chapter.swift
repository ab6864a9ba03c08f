import Raft

/// One chapter of the workbook: where its text is, which program runs its scenario, and the
/// scenario itself.
///
/// The `workbook` command and the per-chapter executables both go through `run`, so a chapter's
/// output is the same whichever way the reader asks for it.
public struct Chapter: Sendable {
    /// 1...9, the reading order.
    public let number: Int
    /// The chapter's file name without `.md`, under `Chapters/`: `"01-node-interface"`.
    public let slug: String
    /// The chapter's title: `"The Node interface"`.
    public let title: String
    /// The executable target that prints this chapter's scenario: `"ch01-node-interface"`.
    public let executable: String
    /// Runs the chapter's scenario with the learner's parts plugged into every node (nil: the
    /// library's own code) and returns its narration (see `run(_:)`).
    package let play: @Sendable ([String], Parts?) throws -> String

    package init(number: Int, slug: String, title: String, executable: String,
                 play: @escaping @Sendable ([String], Parts?) throws -> String) {
        self.number = number
        self.slug = slug
        self.title = title
        self.executable = executable
        self.play = play
    }

    /// Runs the chapter's scenario and returns its narration; with `"--mermaid"` among the
    /// arguments, the Mermaid sequence diagram of the same run instead; with `"--help"`, the list
    /// of flags (`RunOptions`). Throws on an unknown argument or when the scenario cannot run.
    public func run(_ arguments: [String]) throws -> String { try play(arguments, nil) }

    /// The path of the chapter's text, relative to the package root.
    public var path: String { "Chapters/\(slug).md" }
}

extension Chapter: CustomStringConvertible {
    /// `Chapter 1 (01-node-interface)`, as test reports name it.
    public var description: String { "Chapter \(number) (\(slug))" }
}
