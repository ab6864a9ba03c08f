import Raft

/// A real `RawNode` over its own `MemoryStorage`, for the reference adapters: they put it in the
/// situation an exercise describes (a log, a term, a leader, a role), ask it the exercise's
/// question through the public API, and read the answer off its next Ready.
///
/// The application's side is done by hand, one Ready at a time (`cycle`), so nothing happens that
/// the adapter did not ask for: no ticks, no network.
final class LabNode {
    let id: UInt64
    let storage: MemoryStorage
    let raw: RawNode

    /// A node `id` whose storage holds the membership `voters`/`learners`, a log compacted up to
    /// `compacted` followed by entries of the given `terms`, and `hardState`.
    ///
    /// - Parameter configure: adjusts the configuration (pre-vote, check-quorum, limits...).
    /// - Throws: when the described state is not one a real node can start from.
    init(
        id: UInt64 = 1, voters: [UInt64], learners: [UInt64] = [],
        compacted: EntryID = EntryID(term: 0, index: 0), terms: [UInt64] = [],
        hardState: HardState = .empty, configure: (inout Config) -> Void = { _ in }
    ) throws {
        self.id = id
        storage = MemoryStorage()
        let confState = ConfState(voters: voters, learners: learners)
        try storage.applySnapshot(Snapshot(metadata: SnapshotMetadata(
            confState: confState, index: compacted.index, term: compacted.term)))
        let entries = terms.enumerated().map { k, term in
            Entry(term: term, index: compacted.index + 1 + UInt64(k))
        }
        try storage.append(entries)
        if !hardState.isEmpty {
            var hs = hardState
            hs.commit = max(hs.commit, compacted.index)
            storage.setHardState(hs)
        }
        var config = Config(id: id, electionTick: 10, heartbeatTick: 1, storage: storage)
        config.logger = DiscardLogger()
        // Whole logs in one append, so that an observed append shows everything the leader would send.
        config.maxSizePerMsg = noLimit
        configure(&config)
        raw = try RawNode(config: config)
    }

    /// Handles the pending Ready as an application does (persist, then advance) and returns it, so
    /// that the caller can look at the messages and read states it carried.
    @discardableResult
    func cycle() -> Ready {
        let rd = raw.ready()
        // Errors here would mean the library handed out an inconsistent Ready; the adapters then
        // observe a node that did not move, which the reference tests would catch.
        if !rd.snapshot.isEmpty { try? storage.applySnapshot(rd.snapshot) }
        try? storage.append(rd.entries)
        if !rd.hardState.isEmpty { storage.setHardState(rd.hardState) }
        raw.advance(rd)
        return rd
    }

    /// The current term.
    var term: UInt64 { raw.basicStatus().hardState.term }

    /// The role this node is in.
    var role: StateType { raw.basicStatus().softState.raftState }

    /// The index of the last entry, once everything handed out has been persisted by `cycle`.
    var lastIndex: UInt64 { storage.lastIndex() }

    /// Steps a message from a peer, addressed to this node; refusals are ignored (the adapters
    /// only send well-formed messages).
    func receive(_ message: Message) {
        var m = message
        m.to = id
        try? raw.step(m)
    }

    /// Campaigns (without pre-vote) and wins with the votes of `voters`, which make the
    /// candidate's majority together with its own. Returns the Ready handled after the win: it
    /// holds the leader's empty entry and its first appends (probes) to the followers.
    ///
    /// The empty entry is persisted, so `lastIndex` includes it, but no follower has acknowledged
    /// it: nothing of the new term is committed yet unless this node is the only voter.
    @discardableResult
    func campaignAndWin(votesFrom voters: [UInt64]) -> Ready {
        try? raw.campaign()
        cycle()  // persists the candidate's term and vote; its own vote counts on advance
        for voter in voters {
            receive(Message(type: .msgVoteResp, from: voter, term: term))
        }
        return cycle()
    }

    /// Has `follower` acknowledge the log up to `index`, as its append response would.
    func acknowledge(from follower: UInt64, upTo index: UInt64) {
        receive(Message(type: .msgAppResp, from: follower, term: term, index: index))
    }
}
