// Elections: deciding to campaign, asking for votes, counting them.

extension RaftStateMachine {
    /// Starts a campaign of kind `t` if this node may: not already leading, a voter, and with no
    /// committed conf change left to apply (it might remove this node).
    ///
    /// etcd: `raft.hup`.
    package func hup(_ t: CampaignType) {
        if state == .leader {
            logger.debug("\(hex(id)) ignoring MsgHup because already leader")
            return
        }
        if !promotable() {
            logger.warning("\(hex(id)) is unpromotable and can not campaign")
            return
        }
        if term == .max {
            // Only a hostile or broken peer can have brought us here (terms grow by one per
            // election). etcd's next term would wrap to 0; we stay put rather than trap.
            logger.warning("\(hex(id)) cannot campaign at term \(term): no term follows it")
            return
        }
        if raftLog.lastIndex() >= .max - 1 {
            // A leader must append an entry at the next index, and none is left (the same kind
            // of peer put our log at the end of the index space).
            logger.warning("\(hex(id)) cannot campaign: no log index is left after \(raftLog.lastIndex())")
            return
        }
        if hasUnappliedConfChanges() {
            logger.warning("\(hex(id)) cannot campaign at term \(term) since there are still pending configuration changes to apply")
            return
        }
        logger.info("\(hex(id)) is starting a new election at term \(term)")
        campaign(t)
    }

    /// Whether a conf change sits between the applied and committed indexes. Reads the log in pages
    /// so that a long unapplied tail does not have to fit in memory.
    ///
    /// etcd: `raft.hasUnappliedConfChanges`.
    package func hasUnappliedConfChanges() -> Bool {
        if raftLog.applied >= raftLog.committed { return false }
        struct Found: Error {}
        let lo = raftLog.applied + 1, hi = raftLog.committed + 1
        do {
            try raftLog.scan(lo, hi, pageSize: raftLog.maxApplyingEntsSize) { entries in
                for e in entries where e.type == .entryConfChange || e.type == .entryConfChangeV2 {
                    throw Found()
                }
            }
        } catch is Found {
            return true
        } catch {
            logger.panic("error scanning unapplied entries [\(lo), \(hi)): \(error)")
        }
        return false
    }

    /// Becomes (pre-)candidate and asks every voter for its vote. The node's own vote is an
    /// `msgVoteResp` to itself that counts only once the vote is durable.
    ///
    /// etcd: `raft.campaign`.
    package func campaign(_ t: CampaignType) {
        if !promotable() {
            logger.warning("\(hex(id)) is unpromotable; campaign() should have been called")
        }
        let voteTerm: UInt64
        let voteMsg: MessageType
        if t == .preElection {
            becomePreCandidate()
            voteMsg = .msgPreVote
            // A pre-vote asks about the term this node would campaign in, without entering it.
            voteTerm = term + 1
        } else {
            becomeCandidate()
            voteMsg = .msgVote
            voteTerm = term
        }
        let voteResp: MessageType = voteMsg == .msgPreVote ? .msgPreVoteResp : .msgVoteResp
        for voter in trk.config.voters.ids.sorted() {
            if voter == id {
                send(Message(type: voteResp, to: voter, term: voteTerm))
                continue
            }
            let last = raftLog.lastEntryID()
            logger.info("\(hex(id)) [logterm: \(last.term), index: \(last.index)] sent \(voteMsg) request to \(hex(voter)) at term \(term)")
            let context: [UInt8] = t == .transfer ? Array(t.rawValue.utf8) : []
            send(Message(type: voteMsg, to: voter, term: voteTerm, logTerm: last.term, index: last.index, context: context))
        }
    }

    /// Records a vote and returns the tally.
    ///
    /// etcd: `raft.poll`.
    package func poll(_ voter: UInt64, _ t: MessageType, _ granted: Bool) -> (granted: Int, rejected: Int, result: VoteResult) {
        if granted {
            logger.info("\(hex(id)) received \(t) from \(hex(voter)) at term \(term)")
        } else {
            logger.info("\(hex(id)) received \(t) rejection from \(hex(voter)) at term \(term)")
        }
        trk.recordVote(voter, granted)
        guard parts.decidesVotes else { return trk.tallyVotes() }
        return trk.tallyVotes { parts.voteResult(of: $0, $1) }
    }
}
