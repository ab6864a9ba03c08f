// The four roles, how a node moves between them, and what a tick means in each.

extension RaftStateMachine {
    /// Clears everything that belongs to one term and one leadership: votes, timers, progress,
    /// pending reads and conf changes. The vote survives only if the term does not change.
    ///
    /// etcd: `raft.reset`.
    package func reset(term newTerm: UInt64) {
        if term != newTerm {
            term = newTerm
            vote = PeerID.none
        }
        lead = PeerID.none
        electionElapsed = 0
        heartbeatElapsed = 0
        resetRandomizedElectionTimeout()
        abortLeaderTransfer()
        trk.resetVotes()
        let lastIndex = raftLog.lastIndex()
        trk.visit { progressID, pr in
            pr.reset(next: lastIndex + 1, maxInflight: trk.maxInflight, maxInflightBytes: trk.maxInflightBytes)
            if progressID == id { pr.match = lastIndex }
        }
        pendingConfIndex = 0
        uncommittedSize = 0
        readOnly = ReadOnly(option: readOnly.option)
    }

    /// etcd: `raft.becomeFollower`.
    package func becomeFollower(term newTerm: UInt64, lead newLead: UInt64) {
        stepForRole = stepFollower
        reset(term: newTerm)
        tickForRole = { $0.tickElection() }
        lead = newLead
        state = .follower
        logger.info("\(hex(id)) became follower at term \(term)")
    }

    /// Starts an election in the next term, voting for itself.
    ///
    /// etcd: `raft.becomeCandidate`.
    package func becomeCandidate() {
        if state == .leader { logger.panic("invalid transition [leader -> candidate]") }
        stepForRole = stepCandidate
        reset(term: term + 1)
        tickForRole = { $0.tickElection() }
        vote = id
        state = .candidate
        logger.info("\(hex(id)) became candidate at term \(term)")
    }

    /// Starts a pre-election: asks whether it could win, without touching its term or vote, so
    /// that a node cut off from the cluster does not disrupt it by inflating terms.
    ///
    /// etcd: `raft.becomePreCandidate`.
    package func becomePreCandidate() {
        if state == .leader { logger.panic("invalid transition [leader -> pre-candidate]") }
        stepForRole = stepCandidate
        trk.resetVotes()
        tickForRole = { $0.tickElection() }
        lead = PeerID.none
        state = .preCandidate
        logger.info("\(hex(id)) became pre-candidate at term \(term)")
    }

    /// Takes leadership of the current term and appends an empty entry, whose commitment tells the
    /// new leader the commit index (Raft paper §5.4.2, §8).
    ///
    /// etcd: `raft.becomeLeader`.
    package func becomeLeader() {
        if state == .follower { logger.panic("invalid transition [follower -> leader]") }
        stepForRole = stepLeader
        reset(term: term)
        tickForRole = { $0.tickHeartbeat() }
        lead = id
        state = .leader
        // The leader is trivially caught up with itself, and always counts as active.
        if let pr = trk.progress[id] {
            pr.becomeReplicate()
            pr.recentActive = true
        }
        // A conf change may or may not be pending in the uncommitted tail; assume one is until
        // everything up to here is applied, rather than scanning the tail.
        pendingConfIndex = raftLog.lastIndex()
        if !appendEntry([Entry()]) {
            // An empty entry never counts against the uncommitted size, which reset() zeroed.
            logger.panic("empty entry was dropped")
        }
        logger.info("\(hex(id)) became leader at term \(term)")
    }

    /// A follower's or candidate's tick: campaign once the randomized election timeout passes.
    ///
    /// etcd: `raft.tickElection`.
    package func tickElection() {
        electionElapsed += 1
        if promotable() && pastElectionTimeout() {
            electionElapsed = 0
            do { try step(Message(type: .msgHup, from: id)) } catch {
                logger.debug("error occurred during election: \(error)")
            }
        }
    }

    /// A leader's tick: heartbeats every `heartbeatTimeout`; every `electionTimeout`, a quorum check
    /// (with CheckQuorum) and the end of a leadership transfer that took too long.
    ///
    /// etcd: `raft.tickHeartbeat`.
    package func tickHeartbeat() {
        heartbeatElapsed += 1
        electionElapsed += 1
        if electionElapsed >= electionTimeout {
            electionElapsed = 0
            if checkQuorum {
                do { try step(Message(type: .msgCheckQuorum, from: id)) } catch {
                    logger.debug("error occurred during checking sending heartbeat: \(error)")
                }
            }
            if state == .leader && leadTransferee != PeerID.none { abortLeaderTransfer() }
        }
        guard state == .leader else { return }
        if heartbeatElapsed >= heartbeatTimeout {
            heartbeatElapsed = 0
            do { try step(Message(type: .msgBeat, from: id)) } catch {
                logger.debug("error occurred during checking sending heartbeat: \(error)")
            }
        }
    }

    /// Whether this node may become leader: it is a voter of the configuration and is not in the
    /// middle of applying a snapshot.
    ///
    /// etcd: `raft.promotable`.
    package func promotable() -> Bool {
        guard let pr = trk.progress(of: id) else { return false }
        return !pr.isLearner && !raftLog.hasNextOrInProgressSnapshot()
    }

    /// etcd: `raft.pastElectionTimeout`.
    package func pastElectionTimeout() -> Bool { electionElapsed >= randomizedElectionTimeout }

    /// etcd: `raft.resetRandomizedElectionTimeout`.
    package func resetRandomizedElectionTimeout() {
        randomizedElectionTimeout = electionTimeout
            + Int.random(in: 0..<electionTimeout, using: &randomNumberGenerator)
    }

    /// etcd: `raft.abortLeaderTransfer`.
    package func abortLeaderTransfer() { leadTransferee = PeerID.none }
}
