/// The workbook's table of contents.
public enum Workbook {
    /// All nine chapters, in reading order (`chapters[n - 1].number == n`).
    public static let chapters: [Chapter] = [
        Chapter(number: 1, slug: "01-node-interface", title: "The Node interface",
                executable: "ch01-node-interface", run: placeholder),
        Chapter(number: 2, slug: "02-raft-roles", title: "Raft roles",
                executable: "ch02-raft-roles", run: placeholder),
        Chapter(number: 3, slug: "03-ready-advance", title: "Ready and Advance",
                executable: "ch03-ready-advance", run: placeholder),
        Chapter(number: 4, slug: "04-unstable-storage", title: "unstable, Storage and raftLog",
                executable: "ch04-unstable-storage", run: placeholder),
        Chapter(number: 5, slug: "05-read-index", title: "ReadIndex",
                executable: "ch05-read-index", run: placeholder),
        Chapter(number: 6, slug: "06-log-replication", title: "Log replication and flow control",
                executable: "ch06-log-replication", run: placeholder),
        Chapter(number: 7, slug: "07-snapshots", title: "Snapshots and compaction",
                executable: "ch07-snapshots", run: placeholder),
        Chapter(number: 8, slug: "08-membership", title: "Membership change and joint consensus",
                executable: "ch08-membership", run: placeholder),
        Chapter(number: 9, slug: "09-leader-transfer", title: "Leader transfer",
                executable: "ch09-leader-transfer", run: placeholder),
    ]

    /// Stands in for a scenario until it is written.
    @Sendable static func placeholder(_ arguments: [String]) throws -> String {
        arguments.contains("--mermaid") ? "sequenceDiagram\n" : "(scenario not written yet)\n"
    }
}
