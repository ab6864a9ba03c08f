/// A member of the initial cluster, for `bootstrap`.
///
/// etcd: `raft.Peer`.
public struct Peer: Sendable, Hashable {
    /// The member's node id (never `PeerID.none`).
    public var id: UInt64
    /// Passed through in the conf change's context (often the peer's address).
    public var context: [UInt8]

    /// A member with an optional context for its conf change.
    public init(id: UInt64, context: [UInt8] = []) {
        self.id = id
        self.context = context
    }
}

/// Why `bootstrap` refused.
public struct BootstrapError: Error, Sendable, Hashable, CustomStringConvertible {
    public var description: String
}

extension RawNode {
    /// Sets up a brand-new node's membership by writing one committed `ConfChangeAddNode` entry
    /// per peer into the (empty) log and applying them, as if the cluster had been built one node
    /// at a time. The application still sees these entries as committed entries to apply, and
    /// persists them like any other.
    ///
    /// Storing a snapshot with the initial `ConfState` in storage is the better way; this exists
    /// for compatibility with etcd's StartNode.
    ///
    /// - Throws: `.bootstrap` when `peers` is empty or storage is not; `.storage` when storage
    ///   cannot be read; `.confChange` when the peers do not make a valid membership.
    ///
    /// etcd: `RawNode.Bootstrap`.
    public func bootstrap(_ peers: [Peer]) throws(RaftError) {
        guard !peers.isEmpty else { throw .bootstrap(BootstrapError(description: "must provide at least one peer to Bootstrap")) }
        let lastIndex: UInt64
        do { lastIndex = try raft.raftLog.storage.lastIndex() } catch { throw .storage(error) }
        guard lastIndex == 0 else {
            throw .bootstrap(BootstrapError(description: "can't bootstrap a nonempty Storage"))
        }
        // Nothing is persisted yet: the first Ready must carry the hard state.
        prevHardState = .empty
        raft.becomeFollower(term: 1, lead: PeerID.none)
        var entries: [Entry] = []
        for (i, peer) in peers.enumerated() {
            let cc = ConfChange(type: .confChangeAddNode, nodeID: peer.id, context: peer.context)
            entries.append(Entry(term: 1, index: UInt64(i + 1), type: .entryConfChange, data: cc.marshal()))
        }
        do { try raft.raftLog.append(entries) } catch { throw .storage(error) }
        // Committed but not applied, so that the application sees and applies them. The peers are
        // added now too, so that the node can campaign right away.
        raft.raftLog.committed = UInt64(entries.count)
        for peer in peers {
            do {
                _ = try raft.applyConfChange(ConfChange(type: .confChangeAddNode, nodeID: peer.id).asV2())
            } catch {
                throw .confChange(error)
            }
        }
    }
}
