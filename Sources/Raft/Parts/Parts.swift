/// The pieces of raft a learner writes in the workbook, each of which replaces the library's own
/// when it is set.
///
/// Every field is one exercise (`Sources/Exercises/ChNN/YourCode/`), with the signature of the
/// library function it stands in for, made a free function over the real types: the learner's
/// `findConflict(log, entries)` stands for `RaftLog.findConflict(entries)`. The library calls a
/// part where it would call its own function (the call sites say `parts`), so a learner's piece
/// runs inside the real raft and etcd's own transcripts judge it.
///
/// Nothing is set unless someone sets it: `Config.parts` is nil by default, and then every call
/// site takes its usual path after one check of that nil (Notes/performance.md measures it). Only
/// the workbook's judge fills it in, with the exercises the learner has written; the others stay
/// nil and run the library's code, which is the reference solution: there is no second copy.
///
/// The closures take the real, mutable types (`RaftStateMachine`, `RaftLog`, `Progress`...),
/// which are `package` so that the learner's modules (in this package) can reach them.
package struct Parts: Sendable {
    package init() {}

    // MARK: Chapter 1, the Node interface

    /// 1.1 `RawNode.step`'s checks of a message from the network: throw to refuse it.
    package var checkPeerMessage: (@Sendable (RawNode, Message) throws(RaftError) -> Void)?
    /// 1.2 `Node` watching the leader: whether waiting proposals may go now.
    package var observeLeader: (@Sendable (inout NodeLoop, RaftStateMachine) -> Bool)?
    /// 1.3 `Node` handing out a Ready: one at a time, until it is advanced.
    package var takeReady: (@Sendable (inout NodeLoop, RawNode) -> Ready?)?

    // MARK: Chapter 2, raft roles

    /// 2.1 `MajorityConfig.voteResult`.
    package var voteResult: (@Sendable (MajorityConfig, [UInt64: Bool]) -> VoteResult)?
    /// 2.2 Whether a node grants a (pre-)vote request: the rule in `RaftStateMachine.step`.
    package var grantsVote: (@Sendable (RaftStateMachine, Message) -> Bool)?
    /// 2.3 A (pre-)candidate counting a vote response: the case in `stepCandidate`.
    package var handleVoteResponse: (@Sendable (RaftStateMachine, Message) -> Void)?
    /// 2.4 `RaftStateMachine.becomeLeader`.
    package var becomeLeader: (@Sendable (RaftStateMachine) -> Void)?

    // MARK: Chapter 3, Ready and Advance

    /// 3.1 `Ready.mustSync`.
    package var mustSync: (@Sendable (HardState, HardState, Int) -> Bool)?
    /// 3.2 `RawNode.acceptReady`.
    package var acceptReady: (@Sendable (RawNode, Ready) -> Void)?
    /// 3.3 The application's handling of one Ready (`handleReady`, see `ReadyApplication`).
    package var handleReady: (@Sendable (Ready, any ReadyApplication) throws -> Void)?

    // MARK: Chapter 4, unstable, Storage and raftLog

    /// 4.1 `Unstable.truncateAndAppend`.
    package var truncateAndAppend: (@Sendable (Unstable, [Entry]) throws(StorageError) -> Void)?
    /// 4.2 `RaftLog.findConflict`.
    package var findConflict: (@Sendable (RaftLog, [Entry]) -> UInt64)?
    /// 4.3 `RaftLog.findConflictByTerm`.
    package var findConflictByTerm: (@Sendable (RaftLog, UInt64, UInt64) -> (index: UInt64, term: UInt64))?
    /// 4.4 `RaftLog.maybeAppend` (index, logTerm, committed, entries).
    package var maybeAppend: (@Sendable (RaftLog, UInt64, UInt64, UInt64, [Entry]) throws(StorageError) -> UInt64?)?

    // MARK: Chapter 5, ReadIndex

    /// 5.1 `ReadOnly.advance`.
    package var readOnlyAdvance: (@Sendable (inout ReadOnly, Message) -> [ReadIndexStatus])?
    /// 5.2 A leader receiving a read request: the `msgReadIndex` case of `stepLeader`.
    package var handleReadIndex: (@Sendable (RaftStateMachine, Message) -> Void)?
    /// 5.3 `RaftStateMachine.sendReadIndexResponse`.
    package var sendReadIndexResponse: (@Sendable (RaftStateMachine, Message) -> Void)?

    // MARK: Chapter 6, log replication and flow control

    /// 6.1 `MajorityConfig.committedIndex`.
    package var committedIndex: (@Sendable (MajorityConfig, any AckedIndexer) -> UInt64)?
    /// 6.2 `Progress.sentEntries` (entries, bytes).
    package var sentEntries: (@Sendable (Progress, Int, UInt64) -> Void)?
    /// 6.3 `Progress.maybeDecrTo` (rejected, matchHint).
    package var maybeDecrTo: (@Sendable (Progress, UInt64, UInt64) -> Bool)?
    /// 6.4 `RaftStateMachine.handleAppendRejection`.
    package var handleAppendRejection: (@Sendable (RaftStateMachine, Message, Progress) -> Void)?

    // MARK: Chapter 7, snapshots

    /// 7.1 `RaftStateMachine.maybeSendSnapshot` (to, progress).
    package var maybeSendSnapshot: (@Sendable (RaftStateMachine, UInt64, Progress) -> Bool)?
    /// 7.2 `RaftStateMachine.restore`.
    package var restore: (@Sendable (RaftStateMachine, Snapshot) throws(RaftError) -> Bool)?

    // MARK: Chapter 8, membership change

    /// 8.1 `JointConfig.committedIndex`.
    package var jointCommittedIndex: (@Sendable (JointConfig, any AckedIndexer) -> UInt64)?
    /// 8.2 `JointConfig.voteResult`.
    package var jointVoteResult: (@Sendable (JointConfig, [UInt64: Bool]) -> VoteResult)?
    /// 8.3 `Changer.leaveJoint`.
    package var leaveJoint: (@Sendable (Changer) throws(ConfChangeError) -> Changer.Outcome)?

    // MARK: Chapter 9, leader transfer

    /// 9.1 `RaftStateMachine.handleTransferLeader`.
    package var handleTransferLeader: (@Sendable (RaftStateMachine, Message, Progress) -> Void)?
    /// 9.2 Whether a node ignores a (pre-)vote request because it believes in a live leader: the
    /// lease check in `RaftStateMachine.step`, which a transfer campaign overrides.
    package var ignoresVoteInLease: (@Sendable (RaftStateMachine, Message) -> Bool)?
}
