/// The answer to a `readIndex` request: once the application has applied up to `index`, it may
/// serve the read identified by `requestCtx` and be linearizable.
///
/// etcd: `ReadState`.
public struct ReadState: Sendable, Hashable, CustomStringConvertible {
    /// The commit index the read must wait for: serve it once the application has applied this far.
    public var index: UInt64
    /// The context given to `readIndex`, which tells the application which read this answers.
    public var requestCtx: [UInt8]

    /// A read state for the read `requestCtx`, servable once `index` is applied.
    public init(index: UInt64, requestCtx: [UInt8]) {
        self.index = index
        self.requestCtx = requestCtx
    }

    /// Go's `%v` of the struct, as etcd prints read states in a Ready: `{12 [49 50]}`.
    public var description: String {
        "{\(index) [" + requestCtx.map(String.init).joined(separator: " ") + "]}"
    }
}

/// A read request waiting for the leader to confirm it still leads.
///
/// etcd: `readIndexRequest`.
///
/// `package` for the workbook's reference solutions, which read released requests.
package struct ReadIndexStatus {
    /// The request as received (from the application or forwarded by a follower).
    package var req: Message
    /// The leader's commit index when the request arrived: the read must see at least this.
    package var index: UInt64
    /// Who acknowledged the heartbeat carrying this request's context.
    package var acks: Set<UInt64>
}

/// The leader's queue of read requests waiting for a quorum of heartbeat acknowledgements, in
/// `.safe` mode.
///
/// A request is identified by its context (the bytes of its single entry); heartbeats carry the
/// context of the newest pending request, and an acknowledgement of that context confirms every
/// request queued before it too.
///
/// etcd: `readOnly`.
///
/// `package` (with its queue and the three request methods) for the workbook's reference solutions.
package struct ReadOnly {
    package let option: ReadOnlyOption
    /// The pending requests by context.
    package var pendingReadIndex: [[UInt8]: ReadIndexStatus] = [:]
    /// The contexts in arrival order.
    package var readIndexQueue: [[UInt8]] = []

    package init(option: ReadOnlyOption) { self.option = option }

    /// Queues a read that arrived when the commit index was `index`. A request whose context is
    /// already queued is ignored.
    ///
    /// etcd: `readOnly.addRequest`.
    package mutating func addRequest(_ index: UInt64, _ m: Message) {
        let s = m.entries.first?.data ?? []
        if pendingReadIndex[s] != nil { return }
        pendingReadIndex[s] = ReadIndexStatus(req: m, index: index, acks: [])
        readIndexQueue.append(s)
    }

    /// Records that `id` acknowledged the heartbeat carrying `context`, and returns everyone who has
    /// acknowledged that request so far (an empty map when the request is unknown).
    ///
    /// etcd: `readOnly.recvAck`.
    package mutating func recvAck(_ id: UInt64, _ context: [UInt8]) -> [UInt64: Bool] {
        guard var rs = pendingReadIndex[context] else { return [:] }
        rs.acks.insert(id)
        pendingReadIndex[context] = rs
        var votes: [UInt64: Bool] = [:]
        for ack in rs.acks { votes[ack] = true }
        return votes
    }

    /// Removes and returns the requests confirmed by an acknowledgement of `m.context`: that request
    /// and every one queued before it.
    ///
    /// etcd: `readOnly.advance`.
    package mutating func advance(_ m: Message) -> [ReadIndexStatus] {
        let ctx = m.context
        guard let position = readIndexQueue.firstIndex(of: ctx) else { return [] }
        var confirmed: [ReadIndexStatus] = []
        for okctx in readIndexQueue[...position] {
            if let rs = pendingReadIndex.removeValue(forKey: okctx) { confirmed.append(rs) }
        }
        readIndexQueue.removeSubrange(...position)
        return confirmed
    }

    /// The context of the newest pending request, which heartbeats carry; nil when none is pending.
    ///
    /// etcd: `readOnly.lastPendingRequestCtx`.
    package func lastPendingRequestCtx() -> [UInt8]? { readIndexQueue.last }
}
