import Testing
@testable import Raft

/// The committed index straight from its definition: the largest index that at least a majority
/// of the voters have acknowledged (unknown voters acknowledged nothing).
private func referenceCommitted(_ voters: [UInt64], _ acked: [UInt64: UInt64]) -> UInt64 {
    let unique = Set(voters)
    if unique.isEmpty { return UInt64.max }
    let quorum = unique.count / 2 + 1
    var best: UInt64 = 0
    for candidate in Set(unique.compactMap { acked[$0] }) {
        let reached = unique.filter { (acked[$0] ?? 0) >= candidate }.count
        if reached >= quorum && candidate > best { best = candidate }
    }
    return best
}

/// The election result by brute force: try every way the outstanding voters could still vote.
/// Won if every outcome wins, lost if none does, pending otherwise.
private func referenceVote(_ wins: ([UInt64: Bool]) -> Bool, missing: [UInt64], votes: [UInt64: Bool]) -> VoteResult {
    var anyWin = false
    var anyLoss = false
    for mask in 0..<(1 << missing.count) {
        var completed = votes
        for (bit, id) in missing.enumerated() { completed[id] = mask & (1 << bit) != 0 }
        if wins(completed) { anyWin = true } else { anyLoss = true }
    }
    if !anyLoss { return .voteWon }
    if !anyWin { return .voteLost }
    return .votePending
}

/// Whether a majority of `voters` said yes in `votes` (the empty configuration always agrees).
private func majorityYes(_ voters: Set<UInt64>, _ votes: [UInt64: Bool]) -> Bool {
    voters.isEmpty || voters.filter { votes[$0] == true }.count > voters.count / 2
}

private func randomVoters(_ rng: inout SeededRandomNumberGenerator, maxCount: Int) -> [UInt64] {
    (0..<Int.random(in: 0...maxCount, using: &rng)).map { _ in UInt64.random(in: 1...12, using: &rng) }
}

private func randomAcks(_ ids: some Sequence<UInt64>, _ rng: inout SeededRandomNumberGenerator) -> [UInt64: UInt64] {
    var acked: [UInt64: UInt64] = [:]
    for id in ids where Int.random(in: 0..<4, using: &rng) != 0 {
        acked[id] = UInt64.random(in: 0...20, using: &rng)
    }
    return acked
}

@Suite struct MajorityConfigTests {
    @Test func keepsIdsSortedAndUnique() {
        var c = MajorityConfig([5, 1, 3, 1, 5])
        #expect(c.sorted == [1, 3, 5])
        #expect(c.count == 3 && !c.isEmpty)
        #expect(c.description == "(1 3 5)")
        c.insert(4)
        c.insert(3)
        c.remove(1)
        c.remove(42)
        #expect(Array(c) == [3, 4, 5])
        #expect(c.contains(4) && !c.contains(1))
        #expect(MajorityConfig().description == "()")
        #expect(([2, 1] as MajorityConfig) == MajorityConfig([1, 2]))
    }

    @Test func emptyConfigurationAgreesToEverything() {
        let empty = MajorityConfig()
        #expect(empty.committedIndex(MapAckIndexer([1: 5])) == UInt64.max)
        #expect(empty.voteResult([:]) == .voteWon)
        #expect(empty.voteResult([1: false]) == .voteWon)
        #expect(empty.describe(MapAckIndexer()) == "<empty majority quorum>")
    }

    /// etcd: TestDescribe (quorum/majority_test.go).
    @Test func describeDrawsBarsByRank() {
        let c: MajorityConfig = [1, 2, 3, 4]
        // Ranks by index: 4 (7) < 1 (9) = 3 (9) < 2 (12); equal indexes share a bar.
        let table = c.describe(MapAckIndexer([1: 9, 2: 12, 3: 9, 4: 7]))
        #expect(table == """
                    idx
            x>        9    (id=1)
            xxx>     12    (id=2)
            x>        9    (id=3)
            >         7    (id=4)

            """)
        // An unknown voter is drawn with `?` and ranks as index 0.
        let partial = MajorityConfig([1, 2]).describe(MapAckIndexer([2: 100000]))
        #expect(partial == """
                  idx
            ?       0    (id=1)
            x>  100000    (id=2)

            """)
    }

    @Test func committedIndexExamples() {
        let c: MajorityConfig = [1, 2, 3]
        #expect(c.committedIndex(MapAckIndexer([1: 10, 2: 20, 3: 30])) == 20)
        #expect(c.committedIndex(MapAckIndexer([1: 10])) == 0)
        #expect(c.committedIndex(MapAckIndexer([1: 10, 2: 20])) == 10)
        // Acknowledgements from non-voters do not count.
        #expect(c.committedIndex(MapAckIndexer([1: 10, 7: 50, 8: 50])) == 0)
        let four: MajorityConfig = [1, 2, 3, 4]
        #expect(four.committedIndex(MapAckIndexer([1: 1, 2: 2, 3: 3, 4: 4])) == 2)
    }

    @Test func committedIndexMatchesDefinition() {
        var rng = SeededRandomNumberGenerator(seed: 0x51ab)
        for round in 0..<3000 {
            let ids = randomVoters(&rng, maxCount: 11)
            let acked = randomAcks(Set(ids), &rng)
            let c = MajorityConfig(ids)
            #expect(c.committedIndex(MapAckIndexer(acked)) == referenceCommitted(ids, acked),
                    "round \(round): \(c) \(acked)")
        }
    }

    @Test func voteResultExamples() {
        let c: MajorityConfig = [1, 2, 3]
        #expect(c.voteResult([:]) == .votePending)
        #expect(c.voteResult([1: true]) == .votePending)
        #expect(c.voteResult([1: true, 2: true]) == .voteWon)
        #expect(c.voteResult([1: false, 2: false]) == .voteLost)
        #expect(c.voteResult([1: true, 2: false]) == .votePending)
        // Votes from non-voters are ignored.
        #expect(c.voteResult([7: true, 8: true]) == .votePending)
        #expect(VoteResult.votePending.description == "VotePending")
        #expect(VoteResult.voteLost.description == "VoteLost")
        #expect(VoteResult.voteWon.description == "VoteWon")
    }

    @Test func voteResultMatchesBruteForce() {
        var rng = SeededRandomNumberGenerator(seed: 0xbeef)
        for round in 0..<2000 {
            let ids = Set(randomVoters(&rng, maxCount: 9))
            var votes: [UInt64: Bool] = [:]
            for id in ids where Bool.random(using: &rng) { votes[id] = Bool.random(using: &rng) }
            let missing = ids.filter { votes[$0] == nil }.sorted()
            let expected = referenceVote({ majorityYes(ids, $0) }, missing: missing, votes: votes)
            #expect(MajorityConfig(ids).voteResult(votes) == expected, "round \(round): \(ids.sorted()) \(votes)")
        }
    }
}

@Suite struct JointConfigTests {
    @Test func descriptionAndIds() {
        let j = JointConfig(incoming: [1, 2, 3], outgoing: [1])
        #expect(j.description == "(1 2 3)&&(1)")
        #expect(JointConfig(incoming: [1, 2]).description == "(1 2)")
        #expect(JointConfig().description == "()")
        #expect(JointConfig(incoming: [1, 2], outgoing: [2, 3]).ids == [1, 2, 3])
    }

    @Test func describeCoversBothHalves() {
        let j = JointConfig(incoming: [1], outgoing: [2])
        #expect(j.describe(MapAckIndexer([1: 3, 2: 4])) == MajorityConfig([1, 2]).describe(MapAckIndexer([1: 3, 2: 4])))
    }

    @Test func committedIndexIsTheMinimumOfTheHalves() {
        var rng = SeededRandomNumberGenerator(seed: 0x101)
        for round in 0..<2000 {
            let a = MajorityConfig(randomVoters(&rng, maxCount: 7))
            let b = MajorityConfig(randomVoters(&rng, maxCount: 7))
            let l = MapAckIndexer(randomAcks(a.sorted + b.sorted, &rng))
            let j = JointConfig(incoming: a, outgoing: b)
            let idx = j.committedIndex(l)
            #expect(idx == min(a.committedIndex(l), b.committedIndex(l)), "round \(round)")
            #expect(idx == JointConfig(incoming: b, outgoing: a).committedIndex(l), "round \(round): symmetry")
            #expect(idx == min(referenceCommitted(a.sorted, l.indexes), referenceCommitted(b.sorted, l.indexes)))
        }
        // A half that is empty, or equal to the other, changes nothing.
        let c: MajorityConfig = [1, 2, 3]
        let l = MapAckIndexer([1: 4, 2: 6, 3: 5])
        #expect(JointConfig(incoming: c).committedIndex(l) == 5)
        #expect(JointConfig(incoming: c, outgoing: c).committedIndex(l) == 5)
        #expect(JointConfig().committedIndex(l) == UInt64.max)
    }

    @Test func voteResultNeedsBothHalves() {
        var rng = SeededRandomNumberGenerator(seed: 0x202)
        for round in 0..<2000 {
            let a = Set(randomVoters(&rng, maxCount: 5))
            let b = Set(randomVoters(&rng, maxCount: 5))
            var votes: [UInt64: Bool] = [:]
            for id in a.union(b) where Bool.random(using: &rng) { votes[id] = Bool.random(using: &rng) }
            let missing = a.union(b).filter { votes[$0] == nil }.sorted()
            let expected = referenceVote({ majorityYes(a, $0) && majorityYes(b, $0) }, missing: missing, votes: votes)
            let j = JointConfig(incoming: MajorityConfig(a), outgoing: MajorityConfig(b))
            #expect(j.voteResult(votes) == expected, "round \(round): \(j) \(votes)")
            #expect(JointConfig(incoming: MajorityConfig(b), outgoing: MajorityConfig(a)).voteResult(votes) == expected)
        }
    }
}
