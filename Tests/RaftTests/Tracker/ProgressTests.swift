import Testing
@testable import Raft

private func progress(
    state: ProgressState = .probe, match: UInt64 = 0, next: UInt64 = 0, paused: Bool = false,
    pendingSnapshot: UInt64 = 0, size: Int = 256
) -> Progress {
    Progress(
        match: match, next: next, state: state, pendingSnapshot: pendingSnapshot,
        msgAppFlowPaused: paused, inflights: Inflights(size: size, maxBytes: 0))
}

@Suite struct ProgressTests {
    /// etcd: TestProgressString.
    @Test func descriptionShowsEveryFlag() {
        var ins = Inflights(size: 1, maxBytes: 0)
        ins.add(123, bytes: 1)
        let pr = Progress(
            match: 2, next: 3, state: .snapshot, pendingSnapshot: 123, recentActive: false,
            msgAppFlowPaused: true, inflights: ins, isLearner: true)
        #expect(pr.description == "StateSnapshot match=2 next=3 learner paused pendingSnap=123 inactive inflight=1[full]")

        let quiet = Progress(match: 11, next: 12, state: .replicate, recentActive: true, inflights: Inflights(size: 3, maxBytes: 0))
        #expect(quiet.description == "StateReplicate match=11 next=12")
        #expect(ProgressState.probe.description == "StateProbe")
        #expect(ProgressState.replicate.description == "StateReplicate")
        #expect(ProgressState.snapshot.description == "StateSnapshot")
    }

    @Test func goingToSnapshotAsInEtcdsTranscripts() {
        // A new follower, probed from 1, then sent the snapshot at 4.
        let pr = Progress(next: 1, recentActive: true, inflights: Inflights(size: 256, maxBytes: 0))
        #expect(pr.description == "StateProbe match=0 next=1")
        pr.becomeSnapshot(4)
        #expect(pr.description == "StateSnapshot match=0 next=5 paused pendingSnap=4")
        #expect(pr.sentCommit == 4)
        #expect(pr.maybeUpdate(4))
        #expect(pr.description == "StateSnapshot match=4 next=5 paused pendingSnap=4")
        pr.becomeReplicate()
        #expect(pr.description == "StateReplicate match=4 next=5")
    }

    /// etcd: TestProgressIsPaused.
    @Test(arguments: [
        (ProgressState.probe, false, false), (.probe, true, true),
        (.replicate, false, false), (.replicate, true, true),
        (.snapshot, false, true), (.snapshot, true, true),
    ])
    func isPaused(state: ProgressState, paused: Bool, expected: Bool) {
        #expect(progress(state: state, paused: paused).isPaused == expected)
    }

    /// etcd: TestProgressResume.
    @Test func acknowledgementsAndRejectionsResume() {
        let pr = progress(next: 2, paused: true)
        _ = pr.maybeDecrTo(rejected: 1, matchHint: 1)
        #expect(!pr.msgAppFlowPaused)
        pr.msgAppFlowPaused = true
        _ = pr.maybeUpdate(2)
        #expect(!pr.msgAppFlowPaused)
    }

    /// etcd: TestProgressBecomeProbe.
    @Test func becomeProbe() {
        let fromReplicate = progress(state: .replicate, match: 1, next: 5)
        fromReplicate.sentCommit = 4
        fromReplicate.becomeProbe()
        #expect(fromReplicate.state == .probe && fromReplicate.match == 1 && fromReplicate.next == 2)
        #expect(fromReplicate.sentCommit == 1)

        // After a snapshot was delivered, probing resumes after it.
        let afterSnapshot = progress(state: .snapshot, match: 1, next: 5, pendingSnapshot: 10)
        afterSnapshot.becomeProbe()
        #expect(afterSnapshot.next == 11 && afterSnapshot.pendingSnapshot == 0)

        // A failed snapshot (no pending index) probes after match.
        let failedSnapshot = progress(state: .snapshot, match: 1, next: 5)
        failedSnapshot.becomeProbe()
        #expect(failedSnapshot.next == 2)
    }

    /// etcd: TestProgressBecomeReplicate, TestProgressBecomeSnapshot (merged).
    @Test func becomeReplicateAndSnapshot() {
        let pr = progress(match: 1, next: 5, paused: true)
        pr.inflights = Inflights(size: 4, maxBytes: 0)
        pr.becomeReplicate()
        #expect(pr.state == .replicate && pr.match == 1 && pr.next == 2 && !pr.msgAppFlowPaused)

        pr.sentEntries(2, bytes: 10)
        #expect(pr.inflights.count == 1)
        pr.becomeSnapshot(10)
        #expect(pr.state == .snapshot && pr.match == 1 && pr.pendingSnapshot == 10 && pr.next == 11)
        #expect(pr.inflights.count == 0)
    }

    /// etcd: TestProgressUpdate.
    @Test(arguments: [
        // (update, match after, next after, updated?)
        (UInt64(2), UInt64(3), UInt64(5), false),  // older than match: ignored
        (3, 3, 5, false),  // same as match: ignored
        (4, 4, 5, true),  // match grows, next already beyond
        (5, 5, 6, true),  // both grow
    ])
    func maybeUpdate(update: UInt64, match: UInt64, next: UInt64, updated: Bool) {
        let pr = progress(match: 3, next: 5)
        #expect(pr.maybeUpdate(update) == updated)
        #expect(pr.match == match && pr.next == next)
    }

    /// etcd: TestProgressMaybeDecr.
    @Test(arguments: [
        // (state, match, next, rejected, hint, accepted?, next after)
        (ProgressState.replicate, UInt64(5), UInt64(10), UInt64(5), UInt64(5), false, UInt64(10)),  // stale: at match
        (.replicate, 5, 10, 4, 4, false, 10),  // stale: below match
        (.replicate, 5, 10, 9, 9, true, 6),  // back to match+1
        (.probe, 0, 0, 0, 0, false, 0),  // not the last probe (next-1 wraps)
        (.probe, 0, 10, 5, 5, false, 10),  // not the last probe
        (.probe, 0, 10, 9, 9, true, 9),  // step back one
        (.probe, 0, 2, 1, 1, true, 1),
        (.probe, 0, 1, 0, 0, true, 1),  // never below 1
        (.probe, 0, 10, 9, 2, true, 3),  // jump to the hint
        (.probe, 0, 10, 9, 0, true, 1),
        (.probe, 3, 10, 9, 0, true, 4),  // never below match+1
    ])
    func maybeDecrTo(
        state: ProgressState, match: UInt64, next: UInt64, rejected: UInt64, hint: UInt64, accepted: Bool,
        nextAfter: UInt64
    ) {
        let pr = progress(state: state, match: match, next: next)
        #expect(pr.maybeDecrTo(rejected: rejected, matchHint: hint) == accepted)
        #expect(pr.match == match)
        #expect(pr.next == nextAfter)
    }

    @Test func rejectionsLowerTheSentCommit() {
        let pr = progress(state: .replicate, match: 5, next: 10)
        pr.sentCommit(9)
        #expect(pr.maybeDecrTo(rejected: 9, matchHint: 9))
        #expect(pr.sentCommit == 5)
        let probing = progress(match: 0, next: 10)
        probing.sentCommit(9)
        #expect(probing.maybeDecrTo(rejected: 9, matchHint: 2))
        #expect(probing.sentCommit == 2)
    }

    @Test func sentEntriesInReplicate() {
        let pr = progress(state: .replicate, match: 3, next: 4, size: 2)
        pr.sentEntries(3, bytes: 30)
        #expect(pr.next == 7 && pr.inflights.indexes == [6] && !pr.msgAppFlowPaused)
        // An empty append changes nothing but the pause flag.
        pr.sentEntries(0, bytes: 0)
        #expect(pr.next == 7 && pr.inflights.count == 1 && !pr.isPaused)
        pr.sentEntries(1, bytes: 10)
        #expect(pr.next == 8 && pr.inflights.full && pr.isPaused)
        #expect(pr.description == "StateReplicate match=3 next=8 paused inactive inflight=2[full]")
        pr.inflights.freeLE(6)
        _ = pr.maybeUpdate(6)
        #expect(!pr.isPaused)
    }

    @Test func sentEntriesInProbe() {
        let pr = progress(match: 3, next: 4)
        pr.sentEntries(0, bytes: 0)
        #expect(!pr.msgAppFlowPaused && pr.next == 4)
        pr.sentEntries(2, bytes: 20)
        #expect(pr.msgAppFlowPaused && pr.next == 4 && pr.inflights.count == 0)
    }

    @Test func commitBumping() {
        let pr = progress(state: .replicate, match: 3, next: 8)
        #expect(pr.canBumpCommit(5))
        #expect(!pr.canBumpCommit(0))
        pr.sentCommit(5)
        #expect(pr.sentCommit == 5)
        #expect(!pr.canBumpCommit(5))
        #expect(pr.canBumpCommit(6))
        // Once everything up to next-1 has been covered, sending more is pointless.
        pr.sentCommit(7)
        #expect(!pr.canBumpCommit(100))
    }

    @Test func cloneIsIndependent() {
        let pr = progress(state: .replicate, match: 1, next: 2)
        pr.sentEntries(1, bytes: 1)
        let copy = pr.clone()
        #expect(copy == pr && copy !== pr)
        pr.sentEntries(1, bytes: 1)
        pr.isLearner = true
        #expect(copy.inflights.count == 1 && copy.next == 3 && !copy.isLearner)
        #expect(copy != pr)
    }

    @Test func progressMapDescription() {
        let map: ProgressMap = [
            3: Progress(match: 0, next: 12, state: .snapshot, pendingSnapshot: 11, recentActive: true,
                        inflights: Inflights(size: 1, maxBytes: 0)),
            1: Progress(match: 11, next: 12, state: .replicate, recentActive: true, inflights: Inflights(size: 1, maxBytes: 0)),
        ]
        #expect(map.progressDescription == "1: StateReplicate match=11 next=12\n3: StateSnapshot match=0 next=12 paused pendingSnap=11\n")
        let copy = map.cloned()
        #expect(copy[1] == map[1] && copy[1] !== map[1])
        #expect(ProgressMap().progressDescription == "")
    }
}
