import Raft

extension RaftKVNode {
    /// Proposes adding member `peer`, reachable at `url`, and waits until this node applied it.
    /// The new node must then be started with `--join`.
    public func addMember(_ peer: UInt64, url: String) -> RequestOutcome {
        changeMembership(ConfChange(type: .confChangeAddNode, nodeID: peer, context: Array(url.utf8)))
    }

    /// Proposes removing member `peer` and waits until this node applied it.
    public func removeMember(_ peer: UInt64) -> RequestOutcome {
        changeMembership(ConfChange(type: .confChangeRemoveNode, nodeID: peer))
    }

    private func changeMembership(_ change: ConfChange) -> RequestOutcome {
        var cc = change
        // The change's id names the request, as a write's request id does; random, because conf
        // changes from every node share this one number space.
        cc.id = UInt64.random(in: 1...UInt64.max)
        let proposal = cc
        // Raft drops a conf change silently while another is pending: that ends as a timeout.
        return propose(RequestID(node: 0, sequence: cc.id), "membership change") { node in
            try await node.proposeConfChange(proposal)
        }
    }

    /// Applies a committed conf change: raft's membership first (which may refuse it), then
    /// the transport's peers and the recorded addresses.
    ///
    /// etcd raftexample: the `EntryConfChange` case of `publishEntries`.
    func applyMembershipChange(_ cc: any ConfChangeI, at index: UInt64) async throws {
        let v1 = cc.asV1()
        let requestID = RequestID(node: 0, sequence: v1?.id ?? 0)
        let cs: ConfState
        do {
            cs = try await node.applyConfChange(cc)
        } catch {
            guard case .confChange(let reason) = error else { throw error }
            logger.warning("entry \(index): conf change refused: \(reason)")
            if v1 != nil { complete(requestID, .rejected("\(reason)")) }
            return
        }
        loop.withLock { $0.confState = cs }
        for single in cc.asV2().changes {
            switch single.type {
            case .confChangeAddNode, .confChangeAddLearnerNode:
                if let v1, !v1.context.isEmpty {
                    let url = String(decoding: v1.context, as: UTF8.self)
                    kv.setPeer(single.nodeID, url: url)
                }
                if single.nodeID != id, let e = endpoint(of: single.nodeID) {
                    transport.addPeer(single.nodeID, e)
                }
                logger.info("entry \(index): member \(single.nodeID) added")
            case .confChangeRemoveNode:
                kv.markRemoved(single.nodeID)
                if single.nodeID == id {
                    loop.withLock { $0.removed = true }
                } else {
                    transport.removePeer(single.nodeID)
                }
                logger.info("entry \(index): member \(single.nodeID) removed")
            case .confChangeUpdateNode:
                break
            }
        }
        if v1 != nil { complete(requestID, .applied(existed: true)) }
    }
}
