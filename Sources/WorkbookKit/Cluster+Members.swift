import Raft

// Nodes joining, leaving and restarting during a scenario.

extension Cluster {
    /// Starts a new, empty node that is not yet in anyone's configuration: it waits to hear from
    /// the leader once a conf change adds it (chapter 8).
    public func addServer(_ id: UInt64) throws {
        trace.join(id)
        servers[id] = try trace.quietly {
            try makeServer(id, memory: MemoryStorage(), applied: 0, store: KeyValueStore(), confState: ConfState())
        }
        trace.say("  node \(id) starts with an empty log and no configuration")
    }

    /// Shuts a node down for good (after a conf change removed it).
    public func removeServer(_ id: UInt64) {
        servers[id] = nil
        network.dropAll(involving: id)
        trace.say("  node \(id) shuts down")
    }

    /// Crashes node `id` and starts it again from its storage, as `RestartNode` does.
    ///
    /// Raft's own state is rebuilt from storage, but its applied index is not stored there. With
    /// `keepingApplied`, the application had saved its state machine and applied index (as a
    /// snapshot in storage, with the membership) and passes the index in `Config.applied`; without,
    /// it lost its state and raft hands every committed entry over again.
    public func restart(_ id: UInt64, keepingApplied: Bool) throws {
        let old = try server(id)
        network.dropAll(involving: id)
        var store = KeyValueStore(), applied: UInt64 = 0, confState = ConfState()
        if keepingApplied {
            _ = try old.storage.createSnapshot(old.applied, confState: old.confState, data: old.store.snapshotData)
            (store, applied, confState) = (old.store, old.applied, old.confState)
        }
        servers[id] = try trace.quietly {
            try makeServer(id, memory: old.storage, applied: applied, store: store, confState: confState)
        }
        trace.mark(id, "restarted with Config.applied = \(applied)")
    }
}
