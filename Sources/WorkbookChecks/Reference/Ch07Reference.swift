import Raft

/// Chapter 7 answered by a real `MemoryStorage` and a real leader.
struct Ch07Reference: Ch07Exercises {
    func compact(_ storage: StorageBounds, at compactIndex: UInt64) -> CompactionResult {
        guard storage.firstIndex >= 1, storage.lastIndex >= storage.firstIndex - 1 else { return .alreadyCompacted }
        let real = MemoryStorage()
        do {
            let placeholder = storage.firstIndex - 1
            if placeholder > 0 {
                try real.applySnapshot(Snapshot(metadata: SnapshotMetadata(index: placeholder, term: 1)))
            }
            if storage.lastIndex >= storage.firstIndex {
                try real.append((storage.firstIndex...storage.lastIndex).map { Entry(term: 1, index: $0) })
            }
        } catch {
            return .alreadyCompacted
        }
        do {
            try real.compact(compactIndex)
        } catch .compacted {
            return .alreadyCompacted
        } catch {
            return .beyondLastIndex
        }
        return .compacted(StorageBounds(firstIndex: real.firstIndex(), lastIndex: real.lastIndex()))
    }

    /// A two-node cluster: node 1's storage is compacted before `leader.firstIndex` and holds
    /// entries up to `leader.lastIndex - 1`; it wins an election, which appends the entry at
    /// `leader.lastIndex`, and probes node 2 there. Node 2 answers as a follower whose log
    /// matches up to `followerMatch` would; the leader's next message is the answer.
    func catchUp(leader: StorageBounds, followerMatch: UInt64) -> CatchUp {
        guard leader.firstIndex >= 1, leader.lastIndex >= leader.firstIndex, followerMatch < leader.lastIndex else {
            return .snapshot
        }
        let compacted = leader.firstIndex - 1
        guard let node = try? LabNode(
                voters: [1, 2], compacted: EntryID(term: compacted == 0 ? 0 : 1, index: compacted),
                terms: [UInt64](repeating: 1, count: Int(leader.lastIndex - 1 - compacted)),
                hardState: HardState(term: 1, commit: compacted))
        else { return .snapshot }
        let won = node.campaignAndWin(votesFrom: [2])
        let probeIndex = leader.lastIndex - 1
        if followerMatch == probeIndex {
            // The follower matches where the first probe was sent: that probe is the answer.
            return Ch07Reference.observe(won) ?? .snapshot
        }
        // The follower rejects the probe, hinting the last index where it may agree; its log has
        // the leader's entries (all of term 1) up to followerMatch, so the hint carries term 1.
        node.receive(Message(type: .msgAppResp, from: 2, term: node.term, logTerm: followerMatch == 0 ? 0 : 1,
                             index: probeIndex, reject: true, rejectHint: followerMatch))
        return Ch07Reference.observe(node.cycle()) ?? .snapshot
    }

    /// What the leader sent to node 2 in this Ready.
    private static func observe(_ rd: Ready) -> CatchUp? {
        for m in rd.messages.reversed() where m.to == 2 {
            if m.type == .msgSnap { return .snapshot }
            if m.type == .msgApp, let first = m.entries.first, let last = m.entries.last {
                return .entries(from: first.index, through: last.index)
            }
        }
        return nil
    }
}
