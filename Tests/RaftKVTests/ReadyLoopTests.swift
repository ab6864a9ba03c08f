import Raft
import Testing
@testable import RaftKV

/// What the Ready loop may do before it persists a Ready: apply only entries an earlier Ready
/// already wrote to this node's disk and this Ready does not overwrite; send only messages that
/// promise nothing about the disk.
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

    static let mixed: [Message] = [
        Message(type: .msgAppResp, to: 1, from: 2, term: 3, index: 7),
        Message(type: .msgProp, to: 1, from: 2, entries: [Entry(data: [1])]),
        Message(type: .msgVoteResp, to: 3, from: 2, term: 3),
        Message(type: .msgHeartbeatResp, to: 1, from: 2, term: 3),
        Message(type: .msgProp, to: 1, from: 2, entries: [Entry(data: [2])]),
    ]

    /// A follower's forwarded proposals leave at once, in their order; its responses and votes
    /// wait for the write, in theirs.
    @Test func aFollowerSendsOnlyItsForwardedProposalsBeforeTheWrite() {
        let (now, later) = RaftKVNode.splitByPromise(Self.mixed, leading: false)
        #expect(now.map(\.entries) == [[Entry(data: [1])], [Entry(data: [2])]])
        #expect(later.map(\.type) == [.msgAppResp, .msgVoteResp, .msgHeartbeatResp])
        #expect(RaftKVNode.splitByPromise([Self.mixed[0]], leading: false).now.isEmpty)
    }

    /// A leader's messages all leave before its write.
    @Test func aLeaderSendsEverythingBeforeTheWrite() {
        let leaderMessages = [Message(type: .msgApp, to: 2, from: 1, term: 3, index: 6, entries: [Entry(term: 3, index: 7)]),
                              Message(type: .msgHeartbeat, to: 3, from: 1, term: 3)]
        let (now, later) = RaftKVNode.splitByPromise(leaderMessages, leading: true)
        #expect(now.map(\.type) == [.msgApp, .msgHeartbeat] && later.isEmpty)
    }
}
