// STAND-IN: the chapters branch delivers the real WorkbookKit; the lead deletes this file at merge.
// It has the agreed API so that the `workbook` CLI builds and runs on the exercises branch.

/// One chapter of the workbook: where it sits, what it is called, and how to run its narration.
public struct Chapter: Sendable {
    public let number: Int
    public let slug: String
    public let title: String
    /// The chapter's own executable (`swift run <executable>`).
    public let executable: String
    /// Prints the chapter's narration; `["--mermaid"]` asks for a Mermaid diagram instead.
    public let run: @Sendable ([String]) throws -> String

    public init(number: Int, slug: String, title: String, executable: String,
                run: @escaping @Sendable ([String]) throws -> String) {
        self.number = number
        self.slug = slug
        self.title = title
        self.executable = executable
        self.run = run
    }
}

/// The chapters, in reading order.
public enum Workbook {
    public static let chapters: [Chapter] = [
        standIn(1, "01-node-interface", "The Node interface"),
        standIn(2, "02-raft-roles", "Raft roles"),
        standIn(3, "03-ready-advance", "Ready and Advance"),
        standIn(4, "04-unstable-storage", "unstable, Storage and raftLog"),
        standIn(5, "05-read-index", "ReadIndex"),
        standIn(6, "06-log-replication", "Log replication and flow control"),
        standIn(7, "07-snapshots", "Snapshots and compaction"),
        standIn(8, "08-membership", "Membership change and joint consensus"),
        standIn(9, "09-leader-transfer", "Leader transfer"),
    ]

    /// A chapter whose run only says that the real narration comes with the chapters branch.
    private static func standIn(_ number: Int, _ slug: String, _ title: String) -> Chapter {
        Chapter(number: number, slug: slug, title: title, executable: "ch" + slug) { args in
            if args.first == "--mermaid" {
                return "flowchart LR\n    stand_in[\"Chapter \(number): \(title)\"]\n"
            }
            return "Chapter \(number): \(title)\n(stand-in narration; the chapters branch brings the real one)\n"
        }
    }
}
