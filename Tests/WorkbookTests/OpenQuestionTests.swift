import Raft
import Testing
@testable import WorkbookKit

/// The experiments behind answers in `Notes/open-questions.md`, as checks.
@Suite struct OpenQuestionTests {
    /// The `ConfChangeAddNode` entries at start-up are the bootstrap's, and a restart that does not
    /// pass `Config.applied` hands them over again; one that does, does not.
    @Test func restartReplaysBootstrapEntriesUnlessAppliedIsKnown() throws {
        let cluster = try Cluster(voters: [1, 2, 3], bootstrap: .confChangeEntries, trace: Trace())
        let first = try #require(try cluster.takeReady(1))
        #expect(first.committedEntries.map(\.type) == [.entryConfChange, .entryConfChange, .entryConfChange])
        try cluster.handle(first, on: 1)
        try cluster.stabilize()
        try cluster.campaign(1)
        try cluster.stabilize()
        try cluster.propose(1, "x=1")
        try cluster.stabilize()

        try cluster.restart(3, keepingApplied: false)
        let replayed = try #require(try cluster.takeReady(3)).committedEntries
        #expect(replayed.map(\.index) == [1, 2, 3, 4, 5])
        #expect(replayed.prefix(3).allSatisfy { $0.type == .entryConfChange })

        try cluster.restart(2, keepingApplied: true)
        #expect(try cluster.takeReady(2)?.committedEntries.isEmpty ?? true)
    }

    /// Raft only reads its storage: every call it makes goes through one of the six reads.
    @Test func raftOnlyReadsStorage() throws {
        let cluster = try Cluster(voters: [1, 2, 3], trace: Trace())
        try cluster.campaign(1)
        try cluster.stabilize()
        try cluster.propose(1, "x=1")
        try cluster.stabilize()
        let reads = try cluster.server(1).raftView.readCounts
        #expect(Set(reads.keys).isSubset(of: ["initialState", "entries", "term", "lastIndex", "firstIndex", "snapshot"]))
        #expect(reads["initialState"] == 1)
    }

    /// With `maxSizePerMsg` and `maxCommittedSizePerReady` both 0, the budget for entries handed
    /// out to apply would be 0 bytes and applying would stop at the first committed entry (as it
    /// does in etcd). Here it means one committed entry per Ready, so every write is applied.
    @Test func zeroSizeLimitsApplyOneEntryPerReady() throws {
        let cluster = try Cluster(voters: [1, 2, 3], trace: Trace()) { $0.maxSizePerMsg = 0 }
        try cluster.campaign(1)
        try cluster.stabilize()
        try cluster.propose(1, "x=1")
        try cluster.propose(1, "y=2")
        try cluster.stabilize()
        for id: UInt64 in [1, 2, 3] {
            #expect(try cluster.server(id).store["x"] == "1")
            #expect(try cluster.server(id).store["y"] == "2")
        }
    }
}
