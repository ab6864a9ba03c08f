import Raft
import Testing
@testable import RaftSimulation

/// The checker on hand-made observations: each invariant passes what it should and fails what it
/// should.
@Suite struct CheckerTests {
    @Test func oneLeaderPerTerm() {
        var c = Checker()
        let first = c.leader(1, term: 3)
        let again = c.leader(1, term: 3)
        let next = c.leader(2, term: 4)
        #expect(first && !again && next)
        #expect(!c.failed)
        _ = c.leader(2, term: 3)
        #expect(c.violation?.kind == .twoLeadersInTerm)
    }

    @Test func appliedSequenceMustAgree() {
        var c = Checker()
        c.initialState(index: 1, digest: 0)
        let e2 = Entry(term: 2, index: 2, data: [1])
        let d2 = AppState.chain(0, e2)
        c.applied(node: 1, previous: 1, entry: e2, digest: d2)
        c.applied(node: 2, previous: 1, entry: e2, digest: d2)
        #expect(!c.failed)
        let other = Entry(term: 2, index: 2, data: [9])
        c.applied(node: 3, previous: 1, entry: other, digest: AppState.chain(0, other))
        #expect(c.violation?.kind == .appliedSequenceDiverged)
    }

    @Test func membershipAfterAConfChangeMustAgree() {
        var c = Checker()
        c.bootstrapConfChanges = 3
        // Bootstrapped nodes hold every initial member already; a later member replays them.
        c.appliedConfChange(node: 1, index: 1, confState: ConfState(voters: [1, 2, 3]))
        c.appliedConfChange(node: 4, index: 1, confState: ConfState(voters: [1]))
        #expect(!c.failed)
        c.appliedConfChange(node: 1, index: 7, confState: ConfState(voters: [1, 2, 3], learners: [4]))
        c.appliedConfChange(node: 2, index: 7, confState: ConfState(voters: [3, 2, 1], learners: [4]))
        #expect(!c.failed)
        c.appliedConfChange(node: 4, index: 7, confState: ConfState(voters: [1, 2, 3, 5], learners: [4]))
        #expect(c.violation?.kind == .appliedSequenceDiverged)
    }

    @Test func appliedInOrder() {
        var c = Checker()
        c.applied(node: 1, previous: 3, entry: Entry(term: 1, index: 5), digest: 7)
        #expect(c.violation?.kind == .appliedSequenceDiverged)
    }

    @Test func committedEntriesNeverChange() {
        var c = Checker()
        c.persisting(node: 1, entries: [Entry(term: 2, index: 1)], commit: 0)
        #expect(!c.failed)
        c.snapshot(node: 1, Snapshot(data: Payload.snapshotData(digest: 0), metadata: SnapshotMetadata(index: 4, term: 2)))
        #expect(!c.failed)
        // Writing another term at a committed index, at or below the writer's own commit index.
        c.persisting(node: 2, entries: [Entry(term: 3, index: 4)], commit: 4)
        #expect(c.violation?.kind == .committedEntryChanged)
    }

    @Test func readsSeeAcknowledgedWrites() {
        var c = Checker()
        c.acknowledged(index: 10)
        c.readIssued(1, node: 2)
        let known = c.readServed(1, node: 2, readIndex: 10)
        #expect(known)
        #expect(!c.failed)
        c.acknowledged(index: 12)
        c.readIssued(2, node: 2)
        _ = c.readServed(2, node: 2, readIndex: 11)
        #expect(c.violation?.kind == .staleRead)
    }

    /// A stale lease read from a leader that a later term has replaced is etcd's lease window,
    /// counted apart; any other stale read stays a violation.
    @Test func staleLeaseReadsFromDeposedLeadersAreCountedApart() {
        var c = Checker()
        c.leaseReads = true
        _ = c.leader(1, term: 2)
        _ = c.leader(3, term: 3)
        c.acknowledged(index: 12)
        c.readIssued(1, node: 1)
        c.readAnswered(1, index: 11, by: 1, term: 2)
        _ = c.readServed(1, node: 1, readIndex: 11)
        #expect(!c.failed)
        #expect(c.leaseAnomalies == 1)
        c.readIssued(2, node: 3)
        c.readAnswered(2, index: 11, by: 3, term: 3)
        _ = c.readServed(2, node: 3, readIndex: 11)
        #expect(c.violation?.kind == .staleRead)

        var strict = Checker()
        strict.leaseReads = true
        strict.strictLease = true
        _ = strict.leader(1, term: 2)
        _ = strict.leader(3, term: 3)
        strict.acknowledged(index: 12)
        strict.readIssued(1, node: 1)
        strict.readAnswered(1, index: 11, by: 1, term: 2)
        _ = strict.readServed(1, node: 1, readIndex: 11)
        #expect(strict.violation?.kind == .staleRead)
    }
}
