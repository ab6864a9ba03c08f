/// The clients' side of writes: which writes are still waiting for an acknowledgement, through
/// which nodes they were proposed, and when to try again.
///
/// Raft promises nothing about a proposal: it can be dropped, or appended and then lost when its
/// leader falls. So clients retry a write (same id) until a node they proposed it through applies
/// it, which is the acknowledgement. A write may therefore land in the log more than once; the
/// checks only care about its first appearance.
struct Clients {
    struct Write {
        var id: UInt64
        var size: Int
        /// The step of the first proposal.
        var issued: Int
        /// When the client proposes it again if it is still not acknowledged.
        var nextRetry: Int
        /// The nodes it was proposed through, in order.
        var attempts: [UInt64]
        /// The step of the latest proposal through a running node.
        var lastAttempt: Int
        /// The earliest step by which a proposal raft accepted in the current calm period should
        /// have committed (see `Simulator.endStep`), with the start of that calm period.
        var calmDeadline: (calm: Int, step: Int)?
    }

    /// Writes awaiting acknowledgement, ordered by id (ids are handed out in increasing order).
    private(set) var pending: [Write] = []

    private func position(of id: UInt64) -> Int? {
        var lo = 0, hi = pending.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if pending[mid].id < id { lo = mid + 1 } else { hi = mid }
        }
        return lo < pending.count && pending[lo].id == id ? lo : nil
    }

    func write(_ id: UInt64) -> Write? { position(of: id).map { pending[$0] } }

    /// Records a proposal of write `id` through `node`. Returns false when the write is already
    /// acknowledged (a replayed retry that is no longer needed), true otherwise.
    mutating func proposed(_ id: UInt64, size: Int, through node: UInt64, now: Int, retryAt: Int,
                           known: (UInt64) -> Bool) -> (pending: Bool, isNew: Bool) {
        if let k = position(of: id) {
            pending[k].attempts.append(node)
            pending[k].nextRetry = retryAt
            pending[k].lastAttempt = now
            return (true, false)
        }
        if known(id) { return (false, false) }
        let w = Write(id: id, size: size, issued: now, nextRetry: retryAt, attempts: [node], lastAttempt: now)
        if let last = pending.last, last.id > id {
            var lo = 0
            while pending[lo].id < id { lo += 1 }
            pending.insert(w, at: lo)
        } else {
            pending.append(w)
        }
        return (true, true)
    }

    /// Records that a proposal of write `id`, accepted by raft in the calm period that started at
    /// `calm`, should commit by `step`; the earliest such step of the period counts.
    mutating func noteCalmDeadline(_ id: UInt64, calm: Int, step: Int) {
        guard let k = position(of: id) else { return }
        if let d = pending[k].calmDeadline, d.calm == calm, d.step <= step { return }
        pending[k].calmDeadline = (calm, step)
    }

    /// Moves the next retry of write `id` to `step`.
    mutating func retry(_ id: UInt64, at step: Int) {
        if let k = position(of: id) { pending[k].nextRetry = step }
    }

    /// Whether `node` applying write `id` acknowledges it: it must be a node the client used.
    func isAcknowledged(_ id: UInt64, byApplyAt node: UInt64) -> Bool {
        guard let k = position(of: id) else { return false }
        return pending[k].attempts.contains(node)
    }

    /// Removes an acknowledged write and returns it.
    mutating func acknowledge(_ id: UInt64) -> Write? {
        guard let k = position(of: id) else { return nil }
        return pending.remove(at: k)
    }
}
