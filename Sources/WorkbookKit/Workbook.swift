/// The workbook's table of contents.
public enum Workbook {
    /// The nine chapters that have a program, in reading order (`chapters[n - 1].number == n`).
    /// The tenth, raftkv, is a service of its own: `raftkv`.
    public static let chapters: [Chapter] = [
        Chapter(number: 1, slug: "01-node-interface", title: "The Node interface", scenario: NodeInterfaceScenario.run),
        Chapter(number: 2, slug: "02-raft-roles", title: "Raft roles", flags: [.noPreVote, .noCheckQuorum],
                scenario: RaftRolesScenario.run),
        Chapter(number: 3, slug: "03-ready-advance", title: "Ready and Advance", scenario: ReadyAdvanceScenario.run),
        Chapter(number: 4, slug: "04-unstable-storage", title: "unstable, Storage and raftLog",
                scenario: UnstableStorageScenario.run),
        Chapter(number: 5, slug: "05-read-index", title: "ReadIndex", flags: [.lease, .skew], scenario: ReadIndexScenario.run),
        Chapter(number: 6, slug: "06-log-replication", title: "Log replication and flow control",
                scenario: LogReplicationScenario.run),
        Chapter(number: 7, slug: "07-snapshots", title: "Snapshots and compaction", scenario: SnapshotsScenario.run),
        Chapter(number: 8, slug: "08-membership", title: "Membership change and joint consensus",
                scenario: MembershipScenario.run),
        Chapter(number: 9, slug: "09-leader-transfer", title: "Leader transfer", scenario: LeaderTransferScenario.run),
    ]

    /// Chapter 10: raftexample as a real service, run on its own rather than as a chapter program.
    public static let raftkv = (number: 10, slug: "10-raftkv", title: "raftkv: the application",
                                command: "swift run raftkv --demo")
}
