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

    /// Append acknowledgements and votes wait for the write, in their order; everything else
    /// (forwarded proposals, heartbeat responses) leaves at once, in its order.
    @Test func onlyAcknowledgementsAndVotesWaitForTheWrite() {
        let (now, later) = RaftKVNode.splitByPromise(Self.mixed + [Message(type: .msgPreVoteResp, to: 3, from: 2, term: 4, reject: true)])
        #expect(now.map(\.type) == [.msgProp, .msgHeartbeatResp, .msgProp])
        #expect(now.filter { $0.type == .msgProp }.map(\.entries) == [[Entry(data: [1])], [Entry(data: [2])]])
        #expect(later.map(\.type) == [.msgAppResp, .msgVoteResp, .msgPreVoteResp])
    }

    /// A leader's appends and heartbeats all leave before its write.
    @Test func aLeadersAppendsAndHeartbeatsLeaveBeforeTheWrite() {
        let leaderMessages = [Message(type: .msgApp, to: 2, from: 1, term: 3, index: 6, entries: [Entry(term: 3, index: 7)]),
                              Message(type: .msgHeartbeat, to: 3, from: 1, term: 3)]
        let (now, later) = RaftKVNode.splitByPromise(leaderMessages)
        #expect(now.map(\.type) == [.msgApp, .msgHeartbeat] && later.isEmpty)
    }
}
