// Step: the entry point for every message. It settles terms first (stepping down on a higher
// term, answering or ignoring a lower one), handles what every role handles alike, and passes
// the rest to the role's step function.

extension RaftStateMachine {
    /// Feeds one message to the state machine. `consuming` (see `StepFunction`): what is not
    /// handled here is passed on to the role without a copy.
    ///
    /// etcd: `raft.Step`.
    package func step(_ m: consuming Message) throws(RaftError) {
        // Shapes etcd would crash on; refused here so that no peer can stop the process.
        if m.type == .msgProp && m.entries.isEmpty {
            throw .invalidMessage("\(hex(id)) stepped empty MsgProp")
        }
        if m.type == .msgReadIndex && m.entries.count != 1 {
            throw .invalidMessage("MsgReadIndex must carry exactly one entry, got \(m.entries.count)")
        }

        if m.term == 0 {
            // A local message, or a proposal/read forwarded without a term.
        } else if m.term > term {
            if m.type == .msgVote || m.type == .msgPreVote {
                let ignored = if let yours = parts.ignoresVoteInLease { yours(self, m) } else { ignoresVoteInLease(m) }
                if ignored {
                    let last = raftLog.lastEntryID()
                    logger.info("\(hex(id)) [logterm: \(last.term), index: \(last.index), vote: \(hex(vote))] ignored "
                        + "\(m.type) from \(hex(m.from)) [logterm: \(m.logTerm), index: \(m.index)] at term \(term): "
                        + "lease is not expired (remaining ticks: \(electionTimeout - electionElapsed))")
                    return
                }
            }
            if m.type == .msgPreVote {
                // A pre-vote never moves our term.
            } else if m.type == .msgPreVoteResp && !m.reject {
                // A granted pre-vote carries the term we would campaign in; we move to it only once
                // a quorum grants it.
            } else {
                logger.info("\(hex(id)) [term: \(term)] received a \(m.type) message with higher term "
                    + "from \(hex(m.from)) [term: \(m.term)]")
                if m.type == .msgApp || m.type == .msgHeartbeat || m.type == .msgSnap {
                    becomeFollower(term: m.term, lead: m.from)
                } else {
                    becomeFollower(term: m.term, lead: PeerID.none)
                }
            }
        } else if m.term < term {
            if (checkQuorum || preVote) && (m.type == .msgHeartbeat || m.type == .msgApp) {
                // A leader of an older term is talking to us. Under CheckQuorum or PreVote we may
                // have advanced our term while cut off, and it will never hear a vote request
                // from us that it would accept; answer so that it learns the new term and steps
                // down, instead of leaving both sides stuck.
                send(Message(type: .msgAppResp, to: m.from))
            } else if m.type == .msgPreVote {
                // Reject, rather than ignore, so that a cluster moving to PreVote cannot deadlock
                // on a candidate with a higher term but a shorter log.
                let last = raftLog.lastEntryID()
                logger.info("\(hex(id)) [logterm: \(last.term), index: \(last.index), vote: \(hex(vote))] rejected "
                    + "\(m.type) from \(hex(m.from)) [logterm: \(m.logTerm), index: \(m.index)] at term \(term)")
                send(Message(type: .msgPreVoteResp, to: m.from, term: term, reject: true))
            } else if m.type == .msgStorageAppendResp {
                if m.index != 0 {
                    // Entries written under an older term may have been overwritten in the unstable
                    // log since; do not mark them stable.
                    logger.info("\(hex(id)) [term: \(term)] ignored entry appends from a \(m.type) message "
                        + "with lower term [term: \(m.term)]")
                }
                if let snapshot = m.snapshot {
                    // A snapshot holds committed state, valid whatever the term.
                    try appliedSnap(snapshot)
                }
            } else {
                logger.info("\(hex(id)) [term: \(term)] ignored a \(m.type) message with lower term "
                    + "from \(hex(m.from)) [term: \(m.term)]")
            }
            return
        }

        switch m.type {
        case .msgHup:
            hup(preVote ? .preElection : .election)

        case .msgStorageAppendResp:
            if m.index != 0 { raftLog.stableTo(EntryID(term: m.logTerm, index: m.index)) }
            if let snapshot = m.snapshot { try appliedSnap(snapshot) }

        case .msgStorageApplyResp:
            if let last = m.entries.last {
                try appliedTo(last.index, size: entsSize(m.entries))
                reduceUncommittedSize(payloadsSize(m.entries))
            }

        case .msgVote, .msgPreVote:
            let lastID = raftLog.lastEntryID()
            let candidate = EntryID(term: m.logTerm, index: m.index)
            let response: MessageType = m.type == .msgVote ? .msgVoteResp : .msgPreVoteResp
            let granted = if let yours = parts.grantsVote { yours(self, m) } else { grantsVote(m) }
            if granted {
                // Learners vote too: one may have been promoted without knowing it yet, and the
                // candidate's request is how it finds out.
                logger.info("\(hex(id)) [logterm: \(lastID.term), index: \(lastID.index), vote: \(hex(vote))] cast "
                    + "\(m.type) for \(hex(m.from)) [logterm: \(candidate.term), index: \(candidate.index)] at term \(term)")
                // Answer with the message's term, not ours: for a pre-vote ours may be older, and
                // the pre-candidate would ignore an answer from an older term.
                send(Message(type: response, to: m.from, term: m.term))
                if m.type == .msgVote {
                    electionElapsed = 0
                    vote = m.from
                }
            } else {
                logger.info("\(hex(id)) [logterm: \(lastID.term), index: \(lastID.index), vote: \(hex(vote))] rejected "
                    + "\(m.type) from \(hex(m.from)) [logterm: \(candidate.term), index: \(candidate.index)] at term \(term)")
                send(Message(type: response, to: m.from, term: term, reject: true))
            }

        default:
            try stepForRole(self, m)
        }
    }

    /// Whether a (pre-)vote request from a higher term is ignored because this node heard from a
    /// leader within the minimum election timeout (Raft thesis §4.2.3): the candidate is then
    /// likely a node that was cut off, not a sign that the leader is gone. Only with check-quorum,
    /// and never for the campaign of a leadership transfer, which the leader itself asked for.
    ///
    /// etcd: the `force` and `inLease` test at the top of `raft.Step`.
    package func ignoresVoteInLease(_ m: Message) -> Bool {
        let force = m.context == Array(CampaignType.transfer.rawValue.utf8)
        let inLease = checkQuorum && lead != PeerID.none && electionElapsed < electionTimeout
        return !force && inLease
    }

    /// Whether this node grants the (pre-)vote request `m` (its term already settled by `step`).
    ///
    /// A node can vote for a candidate it already voted for, or when it has not voted and knows no
    /// leader in this term, or for any pre-vote about a future term; in each case only if the
    /// candidate's log is at least as up to date as its own (Raft paper §5.4.1).
    ///
    /// etcd: the `canVote` test in the `MsgVote` case of `raft.Step`.
    package func grantsVote(_ m: Message) -> Bool {
        let canVote = vote == m.from
            || (vote == PeerID.none && lead == PeerID.none)
            || (m.type == .msgPreVote && m.term > term)
        return canVote && raftLog.isUpToDate(EntryID(term: m.logTerm, index: m.index))
    }

    /// Records that the application applied entries up to `index`; a leader that sits in a joint
    /// configuration meant to be left automatically proposes leaving it once it is applied.
    ///
    /// etcd: `raft.appliedTo`.
    package func appliedTo(_ index: UInt64, size: EntryEncodingSize) throws(RaftError) {
        let newApplied = max(index, raftLog.applied)
        do { try raftLog.appliedTo(newApplied, size: size) } catch {
            throw .invalidMessage(error.description)
        }
        if trk.config.autoLeave && newApplied >= pendingConfIndex && state == .leader {
            // An empty ConfChangeV2 leaves the joint configuration. Its payload is empty, so the
            // uncommitted-size limit never refuses it; a leadership transfer may, in which case we
            // try again on the next apply.
            let leave = Message(type: .msgProp, entries: [Entry(type: .entryConfChangeV2)])
            do {
                try step(leave)
                logger.info("initiating automatic transition out of joint configuration \(trk.config)")
            } catch {
                logger.debug("not initiating automatic transition out of joint configuration \(trk.config): \(error)")
            }
        }
    }

    /// Records that a snapshot was written to storage and applied.
    ///
    /// etcd: `raft.appliedSnap`.
    package func appliedSnap(_ snapshot: Snapshot) throws(RaftError) {
        let index = snapshot.metadata.index
        raftLog.stableSnapTo(index)
        try appliedTo(index, size: 0)
    }
}

extension MessageType {
    /// Whether raft always stamps this kind of message with a term when sending it (`send` does
    /// for all but forwarded proposals and reads, and the local kinds never travel).
    package var isAlwaysSentWithTerm: Bool {
        switch self {
        case .msgApp, .msgAppResp, .msgVote, .msgVoteResp, .msgPreVote, .msgPreVoteResp, .msgSnap,
             .msgHeartbeat, .msgHeartbeatResp, .msgTimeoutNow, .msgReadIndexResp:
            true
        default:
            false
        }
    }
}
