/// A role's way of handling the messages that `step` does not handle for every role.
///
/// The state machine swaps this function when it changes role (`stepFollower`, `stepCandidate`,
/// `stepLeader`), exactly as etcd swaps its `step` function pointer: the role *is* the pair of
/// functions in `stepForRole` and `tickForRole`.
///
/// The message is `consuming` all the way from `step`: a proposal's entries array then arrives at
/// `appendEntry` with no other owner, and is stamped with term and index in place instead of being
/// copied first.
package typealias StepFunction = (RaftStateMachine, consuming Message) throws(RaftError) -> Void

/// The Raft consensus algorithm for one node: its term and vote, its log, its view of the other
/// nodes' progress, and the rules for every message and every tick.
///
/// It does no I/O: messages to send pile up in `msgs` and `msgsAfterAppend`, state to persist is
/// read off by `RawNode` into a `Ready`. Everything happens inside `step` (a message arrives) and
/// `tick` (time passes), so the whole algorithm is deterministic given its inputs.
///
/// Its stored properties are marked `@exclusivity(unchecked)`, as are those of the other classes
/// on the hot path (`RaftLog`, `Unstable`, `Progress`, `RawNode`, `Locked`). Swift checks at run
/// time that no two accesses to a class's stored property overlap when one of them writes; each
/// check is a call into the runtime that looks up and updates a thread-local access set, and raft
/// reads and writes these properties dozens of times per message: the checks were a quarter of
/// all instructions in the benchmarks (Notes/performance.md). A state machine is only ever driven
/// by one caller at a time and none of its methods holds an access to a property across a call
/// that touches the same property, so the checks can never fire; the whole test suite ran with
/// them enabled before they were turned off.
///
/// etcd: the `raft` struct in `raft.go` (the articles' "state machine", 状态机).
package final class RaftStateMachine {
    package let id: UInt64

    /// The current term. Invariant: never decreases.
    @exclusivity(unchecked) package var term: UInt64 = 0
    /// Whom this node voted for in `term`, or `PeerID.none`.
    @exclusivity(unchecked) package var vote: UInt64 = PeerID.none

    /// Answers to read requests, waiting to be handed out in the next Ready.
    @exclusivity(unchecked) package var readStates: [ReadState] = []

    /// The log: stable entries in storage, unstable ones in memory.
    package let raftLog: RaftLog

    /// Bytes (encoded size) of entries per append message.
    package let maxMsgSize: EntryEncodingSize
    /// Bytes of payload a leader may keep uncommitted before it drops proposals.
    package let maxUncommittedSize: EntryPayloadSize

    /// The configuration, every member's replication progress, and the votes of an election.
    @exclusivity(unchecked) package var trk: ProgressTracker

    @exclusivity(unchecked) package var state: StateType = .follower

    /// Whether this node is a learner in the current configuration.
    @exclusivity(unchecked) package var isLearner = false

    /// Messages to send right away (they do not depend on unpersisted state).
    /// Invariant: none of them is addressed to this node.
    @exclusivity(unchecked) package var msgs: [Message] = []
    /// Messages that may only be sent once the unstable state (term, vote, entries, snapshot)
    /// accumulated so far is durable: append and vote responses. Some are addressed to this node
    /// (a leader acknowledging its own entries, a candidate its own vote).
    @exclusivity(unchecked) package var msgsAfterAppend: [Message] = []

    /// The leader of `term` as far as this node knows, or `PeerID.none`.
    @exclusivity(unchecked) package var lead: UInt64 = PeerID.none
    /// The node leadership is being transferred to, or `PeerID.none` (Raft thesis §3.10).
    @exclusivity(unchecked) package var leadTransferee: UInt64 = PeerID.none
    /// An index at or after the newest conf change in the log that may not be applied yet. Only
    /// one conf change may be pending, so proposals of another wait until `applied` passes it.
    @exclusivity(unchecked) package var pendingConfIndex: UInt64 = 0
    package let disableConfChangeValidation: Bool
    /// An estimate (never too high) of the payload bytes in the uncommitted tail of the log.
    /// Only the leader keeps it; reset on term changes.
    @exclusivity(unchecked) package var uncommittedSize: EntryPayloadSize = 0

    /// Reads waiting for a quorum to confirm this node still leads.
    @exclusivity(unchecked) package var readOnly: ReadOnly

    /// Ticks since the last election timeout (leader, candidate) or since the last valid message
    /// from the leader (follower).
    @exclusivity(unchecked) package var electionElapsed = 0
    /// Ticks since the last heartbeat; only the leader keeps it.
    @exclusivity(unchecked) package var heartbeatElapsed = 0

    package let checkQuorum: Bool
    /// Whether elections start with a pre-vote round. Raft itself never changes it; it is a `var`
    /// only so that tests can turn it on mid-run, as a rolling restart to PreVote does in a cluster
    /// (etcd's tests assign the field the same way).
    @exclusivity(unchecked) package var preVote: Bool

    package let heartbeatTimeout: Int
    package let electionTimeout: Int
    /// A random number in `[electionTimeout, 2 * electionTimeout - 1]`, drawn again whenever the
    /// node becomes a follower or candidate, so that nodes rarely time out together.
    @exclusivity(unchecked) package var randomizedElectionTimeout = 0
    package let disableProposalForwarding: Bool
    package let stepDownOnRemoval: Bool

    /// What a tick does in the current role: `tickElection` or `tickHeartbeat`.
    package var tickForRole: (RaftStateMachine) -> Void = { $0.tickElection() }
    /// How the current role handles messages: `stepFollower`, `stepCandidate` or `stepLeader`.
    @exclusivity(unchecked) package var stepForRole: StepFunction = stepFollower

    package let logger: any Logger

    /// The learner's pieces of raft, when the workbook plugs them in (`Config.parts`); empty, it
    /// runs the library's own code. Not optional: a field of a struct stored in a class is read
    /// with one load, where unwrapping an optional struct this large copies it whole first.
    package let parts: Parts

    /// Read requests a new leader received before it committed an entry in its term; it cannot know
    /// the commit index until then. Answered as soon as such an entry commits.
    @exclusivity(unchecked) package var pendingReadIndexMessages: [Message] = []

    /// Where election timeouts are drawn from.
    @exclusivity(unchecked) package var randomNumberGenerator: any RandomNumberGenerator

    /// Starts a node from its storage as a follower.
    ///
    /// etcd: `newRaft`.
    package init(config: Config) throws(RaftError) {
        var c = config
        do { try c.validate() } catch { throw .config(error) }
        let logger = c.logger ?? DefaultLogger()
        self.logger = logger
        id = c.id
        parts = c.parts ?? Parts()
        raftLog = RaftLog(storage: c.storage, logger: logger, maxApplyingEntsSize: EntryEncodingSize(c.maxCommittedSizePerReady),
                          parts: c.parts ?? Parts())
        let (hs, cs): (HardState, ConfState)
        do { (hs, cs) = try c.storage.initialState() } catch { throw .storage(error) }
        maxMsgSize = EntryEncodingSize(c.maxSizePerMsg)
        maxUncommittedSize = EntryPayloadSize(c.maxUncommittedEntriesSize)
        trk = ProgressTracker(maxInflight: c.maxInflightMsgs, maxBytes: c.maxInflightBytes)
        electionTimeout = c.electionTick
        heartbeatTimeout = c.heartbeatTick
        checkQuorum = c.checkQuorum
        preVote = c.preVote
        readOnly = ReadOnly(option: c.readOnlyOption)
        disableProposalForwarding = c.disableProposalForwarding
        disableConfChangeValidation = c.disableConfChangeValidation
        stepDownOnRemoval = c.stepDownOnRemoval
        randomNumberGenerator = c.randomNumberGenerator ?? SystemRandomNumberGenerator()

        let lastID = raftLog.lastEntryID()
        let (cfg, progress): Changer.Outcome
        do { (cfg, progress) = try Changer(tracker: trk, lastIndex: lastID.index).restore(cs) } catch { throw .confChange(error) }
        let restored = switchToConfig(cfg, progress)
        if !restored.isEquivalent(to: cs) {
            logger.panic("ConfStates not equivalent after sorting: \(restored) vs \(cs)")
        }

        do {
            if !hs.isEmpty { try loadState(hs) }
            if c.applied > 0 { try raftLog.appliedTo(c.applied, size: 0) }
        } catch {
            throw .storage(error)
        }
        becomeFollower(term: term, lead: PeerID.none)

        let peers = trk.voterNodes().map { hex($0) }.joined(separator: ",")
        logger.info("newRaft \(hex(id)) [peers: [\(peers)], term: \(term), commit: \(raftLog.committed), "
            + "applied: \(raftLog.applied), lastindex: \(lastID.index), lastterm: \(lastID.term)]")
    }

    package var hasLeader: Bool { lead != PeerID.none }

    package var softState: SoftState { SoftState(lead: lead, raftState: state) }

    package var hardState: HardState { HardState(term: term, vote: vote, commit: raftLog.committed) }

    /// Adopts a persisted hard state at start-up.
    ///
    /// etcd: `raft.loadState` (which panics where we throw: the state comes from local storage).
    package func loadState(_ hs: HardState) throws(StorageError) {
        if hs.commit < raftLog.committed || hs.commit > raftLog.lastIndex() {
            throw .invalidIndex("\(hex(id)) state.commit \(hs.commit) is out of range "
                + "[\(raftLog.committed), \(raftLog.lastIndex())]")
        }
        raftLog.committed = hs.commit
        term = hs.term
        vote = hs.vote
    }

    /// Advances the logical clock by one tick.
    package func tick() { tickForRole(self) }
}
