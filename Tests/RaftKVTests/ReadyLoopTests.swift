import Testing
@testable import RaftKV

/// What the Ready loop may apply before it persists a Ready: only entries an earlier Ready
/// already wrote to this node's disk and this Ready does not overwrite.
@Suite struct ReadyLoopTests {
    /// Nothing new in the Ready: everything written before is durable.
    @Test func withoutNewEntriesEverythingWrittenIsDurable() {
        #expect(RaftKVNode.durableIndex(written: 10, overwrittenFrom: nil) == 10)
    }

    /// New entries after the written ones (a leader appending, a follower catching up) leave
    /// what was written durable.
    @Test func appendedEntriesLeaveTheWrittenOnesDurable() {
        #expect(RaftKVNode.durableIndex(written: 10, overwrittenFrom: 11) == 10)
    }

    /// A follower whose uncommitted tail 8...10 is replaced by a new leader's entries, committed
    /// in the same message: the old entries at 8...10 are on disk but are not the committed
    /// ones, so only 7 may be applied before this Ready's write.
    @Test func anOverwrittenTailIsNotDurable() {
        #expect(RaftKVNode.durableIndex(written: 10, overwrittenFrom: 8) == 7)
        #expect(RaftKVNode.durableIndex(written: 10, overwrittenFrom: 1) == 0)
    }
}
