/// What the leader knows about one follower's (or learner's) log, and how it is currently
/// replicating to it.
///
/// A class, like etcd's `*Progress`: the leader looks a progress up and mutates it in place
/// (`let pr = trk.progress[id]; pr.next = ...`), and the tracker's map must see the change.
/// Use `clone()` for an independent copy.
///
/// Its stored properties skip the run-time exclusivity checks: the leader updates them on every
/// acknowledgement (see `RaftStateMachine` for why that is safe and what it saves).
///
/// `package`, not public: the leader's bookkeeping (an application reads `ProgressStatus` from
/// `Status`); the tests, the workbook and exercises Ch02, Ch06-Ch09 use it.
///
/// etcd: `tracker.Progress`.
package final class Progress: CustomStringConvertible {
    /// The highest index known to be in the follower's log and to match the leader's.
    ///
    /// etcd: `Progress.Match`.
    @exclusivity(unchecked) package var match: UInt64
    /// The index of the next entry to send. Entries in (match, next) are in flight.
    /// Invariant: `match < next`; in `.snapshot`, `next == pendingSnapshot + 1`.
    ///
    /// etcd: `Progress.Next`.
    @exclusivity(unchecked) package var next: UInt64
    /// The highest commit index sent to the follower (and possibly still in flight); lets the
    /// leader avoid resending a commit index the follower already has. Usually grows, but falls
    /// back with `next` when the follower is probed again or rejects an append.
    ///
    /// etcd: `Progress.sentCommit`.
    @exclusivity(unchecked) package var sentCommit: UInt64
    /// How the leader replicates to this follower.
    ///
    /// etcd: `Progress.State`.
    @exclusivity(unchecked) package var state: ProgressState
    /// In `.snapshot`: the index of the snapshot sent (the leader's last index when it decided a
    /// snapshot was needed); 0 otherwise.
    ///
    /// etcd: `Progress.PendingSnapshot`.
    @exclusivity(unchecked) package var pendingSnapshot: UInt64
    /// Whether the follower was heard from recently; check-quorum resets it every election
    /// timeout. Always true for the leader itself.
    ///
    /// etcd: `Progress.RecentActive`.
    @exclusivity(unchecked) package var recentActive: Bool
    /// Whether appends to this follower are throttled until something is heard back: after a
    /// probe in `.probe`, or once the in-flight window is full in `.replicate`.
    ///
    /// etcd: `Progress.MsgAppFlowPaused`.
    @exclusivity(unchecked) package var msgAppFlowPaused: Bool
    /// The appends sent and not yet acknowledged (used in `.replicate`).
    ///
    /// etcd: `Progress.Inflights`.
    @exclusivity(unchecked) package var inflights: Inflights
    /// Whether this progress tracks a learner (which receives the log but does not vote).
    ///
    /// etcd: `Progress.IsLearner`.
    @exclusivity(unchecked) package var isLearner: Bool

    /// A progress with the given fields; everything not given starts at zero/false, in `.probe`.
    ///
    /// etcd: `&tracker.Progress{...}`.
    package init(
        match: UInt64 = 0,
        next: UInt64 = 0,
        sentCommit: UInt64 = 0,
        state: ProgressState = .probe,
        pendingSnapshot: UInt64 = 0,
        recentActive: Bool = false,
        msgAppFlowPaused: Bool = false,
        inflights: Inflights,
        isLearner: Bool = false
    ) {
        self.match = match
        self.next = next
        self.sentCommit = sentCommit
        self.state = state
        self.pendingSnapshot = pendingSnapshot
        self.recentActive = recentActive
        self.msgAppFlowPaused = msgAppFlowPaused
        self.inflights = inflights
        self.isLearner = isLearner
    }

    /// Starts over for a new term or leader: nothing known to match, probing from `next`, an
    /// empty in-flight window; only whether it is a learner survives.
    ///
    /// etcd: the progress reset in `raft.reset`.
    package func reset(next: UInt64, maxInflight: Int, maxInflightBytes: UInt64) {
        match = 0
        self.next = next
        sentCommit = 0
        state = .probe
        pendingSnapshot = 0
        recentActive = false
        msgAppFlowPaused = false
        inflights = Inflights(size: maxInflight, maxBytes: maxInflightBytes)
    }

    /// An independent copy, including the in-flight window.
    ///
    /// etcd: copying a `Progress` and `Inflights.Clone`.
    package func clone() -> Progress {
        Progress(
            match: match, next: next, sentCommit: sentCommit, state: state,
            pendingSnapshot: pendingSnapshot, recentActive: recentActive,
            msgAppFlowPaused: msgAppFlowPaused, inflights: inflights, isLearner: isLearner)
    }

    /// Enters `state` with a clean slate: not paused, no pending snapshot, nothing in flight.
    ///
    /// etcd: `Progress.ResetState`.
    package func resetState(_ state: ProgressState) {
        msgAppFlowPaused = false
        pendingSnapshot = 0
        self.state = state
        inflights.reset()
    }

    /// Goes back to probing, from `match + 1`, or from just after the snapshot when leaving
    /// `.snapshot` (the snapshot was delivered, so the follower should have it).
    ///
    /// etcd: `Progress.BecomeProbe`.
    package func becomeProbe() {
        if state == .snapshot {
            let snapshotIndex = pendingSnapshot
            resetState(.probe)
            next = max(match &+ 1, snapshotIndex &+ 1)
        } else {
            resetState(.probe)
            next = match &+ 1
        }
        sentCommit = min(sentCommit, next &- 1)
    }

    /// Starts streaming appends right after `match`.
    ///
    /// etcd: `Progress.BecomeReplicate`.
    package func becomeReplicate() {
        resetState(.replicate)
        next = match &+ 1
    }

    /// Waits for the snapshot at `snapshoti` to be applied; the follower will have everything
    /// up to it (including its commit index) once it is.
    ///
    /// etcd: `Progress.BecomeSnapshot`.
    package func becomeSnapshot(_ snapshoti: UInt64) {
        resetState(.snapshot)
        pendingSnapshot = snapshoti
        next = snapshoti &+ 1
        sentCommit = snapshoti
    }

    /// Records that an append carrying `entries` entries (`bytes` payload bytes) starting at
    /// `next` was sent. In `.replicate` this advances `next` optimistically and fills the window,
    /// pausing when it is full; in `.probe` a non-empty append pauses until the follower answers.
    /// Appends are never sent in `.snapshot`; doing so is a bug in the caller and stops the
    /// process, as in etcd.
    ///
    /// etcd: `Progress.SentEntries`.
    package func sentEntries(_ entries: Int, bytes: UInt64) {
        switch state {
        case .replicate:
            if entries > 0 {
                next &+= UInt64(entries)
                inflights.add(next &- 1, bytes: bytes)
            }
            // A message that fills (or finds full) the window is treated as a probe: pause.
            msgAppFlowPaused = inflights.full
        case .probe:
            if entries > 0 { msgAppFlowPaused = true }
        case .snapshot:
            preconditionFailure("sending append in unhandled state \(state)")
        }
    }

    /// Whether sending commit index `index` could move the follower's commit index: it is newer
    /// than what was sent, and what was sent does not already cover everything up to `next - 1`.
    ///
    /// etcd: `Progress.CanBumpCommit`.
    package func canBumpCommit(_ index: UInt64) -> Bool {
        index > sentCommit && sentCommit < next &- 1
    }

    /// Records that commit index `commit` was sent to the follower.
    ///
    /// etcd: `Progress.SentCommit`.
    package func sentCommit(_ commit: UInt64) {
        sentCommit = commit
    }

    /// Handles an acknowledgement of index `n`: returns false when it says nothing new (an old or
    /// duplicated response); otherwise raises `match` (and `next` if needed) and resumes sending.
    ///
    /// etcd: `Progress.MaybeUpdate`.
    package func maybeUpdate(_ n: UInt64) -> Bool {
        if n <= match { return false }
        match = n
        next = max(next, n &+ 1)
        msgAppFlowPaused = false
        return true
    }

    /// Handles the follower's rejection of the append at index `rejected`, whose log (per its
    /// hint) matches at most up to `matchHint`. Returns false for stale rejections (the progress
    /// already knows better) and leaves everything unchanged; otherwise lowers `next` and resumes
    /// sending. In `.replicate`, `next` falls straight back to `match + 1`; while probing it falls to
    /// `min(rejected, matchHint + 1)`, never below `match + 1`.
    ///
    /// etcd: `Progress.MaybeDecrTo`.
    package func maybeDecrTo(rejected: UInt64, matchHint: UInt64) -> Bool {
        if state == .replicate {
            // Everything up to match was acknowledged: such a rejection is stale.
            if rejected <= match { return false }
            next = match &+ 1
            sentCommit = min(sentCommit, next &- 1)
            return true
        }
        // Probes go one at a time, so a genuine rejection is for the last one sent.
        if next &- 1 != rejected { return false }
        next = max(min(rejected, matchHint &+ 1), match &+ 1)
        sentCommit = min(sentCommit, next &- 1)
        msgAppFlowPaused = false
        return true
    }

    /// Whether the leader is holding back appends to this follower: always in `.snapshot`,
    /// otherwise while `msgAppFlowPaused`.
    ///
    /// etcd: `Progress.IsPaused`.
    package var isPaused: Bool {
        switch state {
        case .probe, .replicate: msgAppFlowPaused
        case .snapshot: true
        }
    }

    /// etcd's one-line form, e.g. `StateReplicate match=14 next=17 paused inflight=2[full]` or
    /// `StateSnapshot match=0 next=5 paused pendingSnap=4`; flags appear only when set.
    ///
    /// etcd: `Progress.String`.
    package var description: String {
        var out = "\(state) match=\(match) next=\(next)"
        if isLearner { out += " learner" }
        if isPaused { out += " paused" }
        if pendingSnapshot > 0 { out += " pendingSnap=\(pendingSnapshot)" }
        if !recentActive { out += " inactive" }
        if inflights.count > 0 {
            out += " inflight=\(inflights.count)"
            if inflights.full { out += "[full]" }
        }
        return out
    }
}

extension Progress: Equatable {
    /// Equal when every field (including the in-flight messages) is equal; identity is ignored.
    ///
    /// etcd: none (its tests compare whole structs).
    package static func == (a: Progress, b: Progress) -> Bool {
        a.match == b.match && a.next == b.next && a.sentCommit == b.sentCommit && a.state == b.state
            && a.pendingSnapshot == b.pendingSnapshot && a.recentActive == b.recentActive
            && a.msgAppFlowPaused == b.msgAppFlowPaused && a.inflights == b.inflights
            && a.isLearner == b.isLearner
    }
}

/// The progress of every node the leader replicates to, by node id.
///
/// `package`, like `Progress`.
///
/// etcd: `tracker.ProgressMap`.
package typealias ProgressMap = [UInt64: Progress]

extension Dictionary where Key == UInt64, Value == Progress {
    /// One `id: progress` line per node, ascending by id, each ending in a newline; what etcd
    /// prints for a progress map.
    ///
    /// etcd: `ProgressMap.String`.
    package var progressDescription: String {
        var out = ""
        for id in keys.sorted() {
            if let pr = self[id] { out += "\(id): \(pr)\n" }
        }
        return out
    }

    /// A copy whose progresses are independent of this map's (each one cloned).
    ///
    /// etcd: the per-progress copy in `confchange.checkAndCopy`.
    package func cloned() -> ProgressMap {
        mapValues { $0.clone() }
    }
}
