import Raft

/// The checks of chapter 7, snapshots and compaction.
enum Ch07Checks {
    static let exercises = [compaction, catchingUp]

    static func bounds(_ first: UInt64, _ last: UInt64) -> StorageBounds {
        StorageBounds(firstIndex: first, lastIndex: last)
    }

    // MARK: - 7.1 Compaction bounds

    static let compaction = Exercise(
        ExerciseID(7, 1), "compaction bounds",
        summary: "What MemoryStorage.compact does with an index: new bounds, or which error.",
        symbol: "compact(_:at:)",
        hint: """
            The storage keeps a placeholder at firstIndex - 1 standing for the last compacted \
            entry. Compacting at an index at or below it is .alreadyCompacted; past lastIndex \
            there is nothing to compact into (.beyondLastIndex). Otherwise the entry at the \
            compaction index becomes the new placeholder: the first index becomes \
            compactIndex + 1 and the last index does not move, even when that leaves no entry.
            """,
        subject: { $0.ch07 },
        checks: [
            Check("compacting moves the first index past the compaction index") { ch, expect in
                expect.equal(ch.compact(bounds(1, 10), at: 5), .compacted(bounds(6, 10)), "compact(\(bounds(1, 10)), at: 5)")
                expect.equal(ch.compact(bounds(6, 10), at: 8), .compacted(bounds(9, 10)), "compact(\(bounds(6, 10)), at: 8)")
            },
            Check("compacting at the last index leaves no entry") { ch, expect in
                expect.equal(ch.compact(bounds(1, 10), at: 10), .compacted(bounds(11, 10)), "compact(\(bounds(1, 10)), at: 10)")
            },
            Check("the placeholder and what precedes it are already compacted") { ch, expect in
                expect.equal(ch.compact(bounds(6, 10), at: 5), .alreadyCompacted, "compact(\(bounds(6, 10)), at: 5)")
                expect.equal(ch.compact(bounds(6, 10), at: 2), .alreadyCompacted, "compact(\(bounds(6, 10)), at: 2)")
                expect.equal(ch.compact(bounds(6, 10), at: 6), .compacted(bounds(7, 10)), "compact(\(bounds(6, 10)), at: 6)")
            },
            Check("an index past the last entry is refused") { ch, expect in
                expect.equal(ch.compact(bounds(1, 10), at: 11), .beyondLastIndex, "compact(\(bounds(1, 10)), at: 11)")
                expect.equal(ch.compact(bounds(6, 5), at: 6), .beyondLastIndex, "compact(\(bounds(6, 5)), at: 6)")
                expect.equal(ch.compact(bounds(6, 5), at: 5), .alreadyCompacted, "compact(\(bounds(6, 5)), at: 5)")
            },
            .agreesWithReference(
                "agrees with MemoryStorage.compact on 200 random storages",
                reference: Ch07Reference(),
                inputs: compactCases,
                describe: { "compact(\($0.storage), at: \($0.index))" },
                { ch, c in ch.compact(c.storage, at: c.index) }),
        ])

    struct CompactCase: Sendable {
        let storage: StorageBounds
        let index: UInt64
    }

    static let compactCases: [CompactCase] = SeededRandomNumberGenerator.cases(200, seed: 71) { rng in
        let first = UInt64.random(in: 1...6, using: &rng)
        let last = UInt64.random(in: (first - 1)...(first + 6), using: &rng)
        return CompactCase(storage: bounds(first, last), index: UInt64.random(in: 0...(last + 2), using: &rng))
    }

    // MARK: - 7.2 Snapshot or append

    static let catchingUp = Exercise(
        ExerciseID(7, 2), "snapshot or append",
        summary: "Whether a leader catches a follower up with entries or must send its snapshot.",
        symbol: "catchUp(leader:followerMatch:)",
        hint: """
            An append carries the entries from followerMatch + 1 on, and names the entry just \
            before them (index and term) so the follower can check that its log matches there. \
            The leader can send it only if it still knows that entry's term: an index at or \
            after firstIndex - 1 (the placeholder keeps the last compacted entry's term). If \
            that entry was compacted away, only the snapshot can bring the follower up to date.
            """,
        subject: { $0.ch07 },
        checks: [
            Check("a follower whose next entry is in the log gets the entries it lacks") { ch, expect in
                expect.equal(ch.catchUp(leader: bounds(1, 10), followerMatch: 4), .entries(from: 5, through: 10),
                             "catchUp(leader: \(bounds(1, 10)), followerMatch: 4)")
                expect.equal(ch.catchUp(leader: bounds(6, 10), followerMatch: 7), .entries(from: 8, through: 10),
                             "catchUp(leader: \(bounds(6, 10)), followerMatch: 7)")
                expect.equal(ch.catchUp(leader: bounds(1, 10), followerMatch: 9), .entries(from: 10, through: 10),
                             "catchUp(leader: \(bounds(1, 10)), followerMatch: 9)")
            },
            Check("the last compacted entry still anchors an append") { ch, expect in
                expect.equal(ch.catchUp(leader: bounds(6, 10), followerMatch: 5), .entries(from: 6, through: 10),
                             "catchUp(leader: \(bounds(6, 10)), followerMatch: 5)")
                expect.equal(ch.catchUp(leader: bounds(1, 3), followerMatch: 0), .entries(from: 1, through: 3),
                             "catchUp(leader: \(bounds(1, 3)), followerMatch: 0)")
            },
            Check("a follower that needs compacted entries gets the snapshot") { ch, expect in
                expect.equal(ch.catchUp(leader: bounds(6, 10), followerMatch: 4), .snapshot,
                             "catchUp(leader: \(bounds(6, 10)), followerMatch: 4)")
                expect.equal(ch.catchUp(leader: bounds(6, 10), followerMatch: 0), .snapshot,
                             "catchUp(leader: \(bounds(6, 10)), followerMatch: 0)")
                expect.equal(ch.catchUp(leader: bounds(6, 10), followerMatch: 5), .entries(from: 6, through: 10),
                             "catchUp(leader: \(bounds(6, 10)), followerMatch: 5)")
            },
            .agreesWithReference(
                "agrees with a real leader on 150 random followers",
                reference: Ch07Reference(),
                inputs: catchUpCases,
                describe: { "catchUp(leader: \($0.leader), followerMatch: \($0.match))" },
                { ch, c in ch.catchUp(leader: c.leader, followerMatch: c.match) }),
        ])

    struct CatchUpCase: Sendable {
        let leader: StorageBounds
        let match: UInt64
    }

    static let catchUpCases: [CatchUpCase] = SeededRandomNumberGenerator.cases(150, seed: 72) { rng in
        let first = UInt64.random(in: 1...6, using: &rng)
        let last = UInt64.random(in: first...(first + 6), using: &rng)
        return CatchUpCase(leader: bounds(first, last), match: UInt64.random(in: 0..<last, using: &rng))
    }
}
