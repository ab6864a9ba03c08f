/// What `Node`'s loop remembers between two events: the leader it last saw, whether proposals may
/// go to raft, and whether a Ready is out waiting for `advance()`.
///
/// etcd keeps these as local variables of `node.run` (`lead`, `propc` set or nil, `advancec` set
/// or nil); `Node` keeps them here, and the two decisions made from them are the methods below.
package struct NodeLoop: Sendable {
    /// The leader as last observed, to notice changes (etcd's `lead` in `node.run`).
    package var observedLead: UInt64 = PeerID.none
    /// Whether proposals can go to raft now: a leader is known and this node was not removed.
    /// While false, proposals wait, as etcd's `propc` is disabled.
    package var acceptsProposals = false
    /// Whether a Ready was handed out and `advance()` has not been called yet: raft must not
    /// build the next Ready before the application has persisted the last one.
    package var awaitingAdvance = false
    /// Whether the outstanding Ready carries committed entries (the application is applying them).
    package var applyingOutstanding = false

    package init() {}

    /// Notices a change of leader: logs it as etcd does, and lets proposals go while a leader is
    /// known (held back while none is). Returns true when proposals waiting for a leader may go now.
    ///
    /// etcd: the leader check at the top of `node.run`'s loop.
    package mutating func observeLeader(_ r: RaftStateMachine) -> Bool {
        guard observedLead != r.lead else { return false }
        defer { observedLead = r.lead }
        if r.hasLeader {
            if observedLead == PeerID.none {
                r.logger.info("raft.node: \(hex(r.id)) elected leader \(hex(r.lead)) at term \(r.term)")
            } else {
                r.logger.info("raft.node: \(hex(r.id)) changed leader from \(hex(observedLead)) to \(hex(r.lead)) at term \(r.term)")
            }
            acceptsProposals = true
            return true
        }
        r.logger.info("raft.node: \(hex(r.id)) lost leader \(hex(observedLead)) at term \(r.term)")
        acceptsProposals = false
        return false
    }

    /// Hands out the next Ready if there is one and the last one was advanced, and remembers that
    /// it is out (unless storage writes are asynchronous: then Readies need no `advance()`).
    ///
    /// etcd: how `node.run` offers a Ready on `readyc` only while `advancec` is nil.
    package mutating func takeReady(_ raw: RawNode) -> Ready? {
        guard !awaitingAdvance, raw.hasReady() else { return nil }
        let rd = raw.ready()
        if !raw.asyncStorageWrites {
            awaitingAdvance = true
            applyingOutstanding = !rd.committedEntries.isEmpty
        }
        return rd
    }
}
