import Raft

/// Chapter 6, log replication and flow control.
public protocol Ch06Exercises: Sendable {
    /// Exercise 6.1, the majority's committed index.
    ///
    /// The leader knows, for each voter, the highest index it acknowledged (`acked`; a voter
    /// missing from it has acknowledged nothing yet). Return the highest index acknowledged by a
    /// majority of `voters`. Nodes in `acked` that are not voters do not count. An empty
    /// configuration returns `UInt64.max`, so that it never holds back the other half of a joint
    /// configuration.
    func committedIndex(voters: [UInt64], acked: [UInt64: UInt64]) -> UInt64

    /// Exercise 6.2a, recording an append in the in-flight window.
    ///
    /// The leader sent an append whose last entry is `index`, carrying `bytes` bytes of payload.
    /// Record it. Only called when the window is not full, with increasing indexes.
    func add(_ window: InflightWindow, index: UInt64, bytes: UInt64) -> InflightWindow

    /// Exercise 6.2b, freeing acknowledged appends.
    ///
    /// The follower acknowledged everything up to `index`: forget every in-flight append whose
    /// last entry is at or below it.
    func freeLE(_ window: InflightWindow, _ index: UInt64) -> InflightWindow

    /// Exercise 6.2c, the window is full.
    ///
    /// Whether the leader must stop sending appends to this follower: the window holds `size`
    /// appends, or (with a byte limit) at least `maxBytes` bytes.
    func isFull(_ window: InflightWindow) -> Bool
}

/// The appends sent to one follower and not yet acknowledged, oldest first.
public struct InflightWindow: Sendable, Hashable, CustomStringConvertible {
    /// One append in flight: the index of its last entry and its payload bytes.
    public struct Flight: Sendable, Hashable, CustomStringConvertible {
        public var index: UInt64
        public var bytes: UInt64

        public init(_ index: UInt64, bytes: UInt64 = 0) {
            self.index = index
            self.bytes = bytes
        }

        public var description: String { bytes == 0 ? "\(index)" : "\(index):\(bytes)B" }
    }

    /// The most appends in flight.
    public var size: Int
    /// The most payload bytes in flight; 0 means no byte limit.
    public var maxBytes: UInt64
    /// The appends in flight, oldest first.
    public var flights: [Flight]

    public init(size: Int, maxBytes: UInt64 = 0, flights: [Flight] = []) {
        self.size = size
        self.maxBytes = maxBytes
        self.flights = flights
    }

    /// The payload bytes in flight.
    public var bytes: UInt64 { flights.reduce(0) { $0 + $1.bytes } }

    public var description: String {
        let limit = maxBytes == 0 ? "" : ", maxBytes: \(maxBytes)"
        return "InflightWindow(size: \(size)\(limit), flights: [\(flights.map(\.description).joined(separator: " "))])"
    }
}
