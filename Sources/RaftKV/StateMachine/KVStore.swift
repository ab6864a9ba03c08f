import Raft

/// The replicated state machine: a map from keys to values, plus the peer URLs of the members
/// (so that a node restarted from a snapshot knows where its peers are).
///
/// The Ready loop applies committed commands; HTTP threads read concurrently. Everything sits
/// behind one lock, and reads are single lookups, so contention stays low.
///
/// etcd raftexample: `kvstore` (its `readCommits`, `getSnapshot`, `recoverFromSnapshot`).
public final class KVStore: Sendable {
    struct State: Sendable {
        var values: [String: [UInt8]] = [:]
        var peers: [UInt64: String] = [:]
    }

    private let state = Locked(State())

    public init() {}

    public func get(_ key: String) -> [UInt8]? { state.withLock { $0.values[key] } }

    public var count: Int { state.withLock { $0.values.count } }

    /// Applies a committed command; returns whether the key existed before it.
    @discardableResult
    public func apply(_ op: KVCommand.Operation) -> Bool {
        state.withLock { s in
            switch op {
            case .put(let key, let value):
                return s.values.updateValue(value, forKey: key) != nil
            case .delete(let key):
                return s.values.removeValue(forKey: key) != nil
            }
        }
    }

    public var peers: [UInt64: String] { state.withLock { $0.peers } }

    public func setPeer(_ id: UInt64, url: String?) {
        state.withLock { $0.peers[id] = url }
    }

    /// Records that member `id` was removed: its address becomes the empty tombstone, so that
    /// every node, even one restarted from a snapshot, can tell it so when it still calls.
    public func markRemoved(_ id: UInt64) { setPeer(id, url: "") }

    public func isRemoved(_ id: UInt64) -> Bool { state.withLock { $0.peers[id] == "" } }

    static let snapshotVersion: UInt8 = 1

    /// The whole state, for a snapshot. Keys are written sorted, so equal states give equal bytes.
    public func snapshotData() -> [UInt8] {
        Self.encode(state.withLock { $0 })
    }

    /// The state as of now, to encode later on another thread: taking it is a copy-on-write
    /// reference (the next write copies the table once), so the Ready loop can move on while a
    /// snapshot thread does the expensive encoding (etcd clones its store the same way in
    /// `EtcdServer.snapshot`).
    public func snapshotSource() -> @Sendable () -> [UInt8] {
        let s = state.withLock { $0 }
        return { Self.encode(s) }
    }

    private static func encode(_ s: State) -> [UInt8] {
        var w = ByteWriter(capacity: 64)
        w.u8(Self.snapshotVersion)
        w.u32(UInt32(s.values.count))
        for key in s.values.keys.sorted() {
            w.blob(Array(key.utf8))
            w.blob(s.values[key] ?? [])
        }
        w.u32(UInt32(s.peers.count))
        for id in s.peers.keys.sorted() {
            w.u64(id)
            w.blob(Array((s.peers[id] ?? "").utf8))
        }
        return w.bytes
    }

    /// Decodes snapshot data without installing it: the transport uses it to refuse a snapshot
    /// message that the state machine could not load.
    static func decodeSnapshot(_ data: [UInt8]) throws(WireDecodingError) -> State {
        var s = State()
        if data.isEmpty { return s } // raft's bootstrap snapshot carries no data
        var r = ByteReader(data)
        let v = try r.u8("snapshot version")
        guard v == snapshotVersion else { throw WireDecodingError("snapshot version \(v) is not \(snapshotVersion)") }
        let n = try r.count("keys", minSize: 8)
        for _ in 0..<n {
            let key = String(decoding: try r.blob("key"), as: UTF8.self)
            s.values[key] = try r.blob("value")
        }
        let p = try r.count("peers", minSize: 12)
        for _ in 0..<p {
            let id = try r.u64("peer id")
            s.peers[id] = String(decoding: try r.blob("peer url"), as: UTF8.self)
        }
        try r.expectEnd("snapshot data")
        return s
    }

    public static func validateSnapshot(_ data: [UInt8]) throws(WireDecodingError) {
        _ = try decodeSnapshot(data)
    }

    /// Replaces the whole state with a snapshot's.
    public func restore(from data: [UInt8]) throws(WireDecodingError) {
        let s = try Self.decodeSnapshot(data)
        state.withLock { $0 = s }
    }
}
