/// The append messages sent to one follower and not yet acknowledged, as a sliding window.
///
/// The leader records the last index of every append it sends and frees records as
/// acknowledgements arrive. When the window holds `size` messages, or `maxBytes` of entry
/// payload, it is full and the leader stops streaming to that follower: this is raft's flow
/// control, bounding what a slow follower can have in flight.
///
/// A ring buffer whose storage grows lazily (doubling up to `size`), so that thousands of idle
/// followers configured with a large window do not each hold a large buffer.
///
/// `package`, not public: part of `Progress` (`ProgressStatus.inflight` shows its count); the
/// tests and exercise Ch06 use it.
///
/// etcd: `tracker.Inflights`.
package struct Inflights: Sendable, Equatable {
    /// One in-flight append: its last entry index and the payload bytes it carried.
    private struct Flight: Sendable, Hashable {
        var index: UInt64
        var bytes: UInt64
    }

    /// The slot of the oldest in-flight message.
    private var start = 0
    /// The number of in-flight messages.
    ///
    /// etcd: `Inflights.Count`.
    package private(set) var count = 0
    /// The payload bytes of all in-flight messages.
    ///
    /// etcd: `Inflights.bytes`.
    package private(set) var bytes: UInt64 = 0
    /// The most messages allowed in flight.
    ///
    /// etcd: `Inflights.size`.
    package let size: Int
    /// The most payload bytes allowed in flight; 0 means no byte limit.
    ///
    /// etcd: `Inflights.maxBytes`.
    package let maxBytes: UInt64
    /// The ring; grows up to `size` slots as needed.
    private var buffer: [Flight] = []

    /// An empty window allowing `size` messages and `maxBytes` bytes (0: unlimited) in flight.
    ///
    /// etcd: `NewInflights`.
    package init(size: Int, maxBytes: UInt64) {
        self.size = max(0, size)
        self.maxBytes = maxBytes
    }

    /// Records an append whose last entry is `index` and whose entries carry `bytes` bytes.
    /// Indexes must be added in increasing order; adding to a full window is a bug in the caller
    /// (raft checks `full` first) and stops the process, as in etcd.
    ///
    /// etcd: `Inflights.Add`.
    package mutating func add(_ index: UInt64, bytes: UInt64) {
        precondition(!full, "cannot add into a Full inflights")
        var slot = start + count
        if slot >= size { slot -= size }
        if slot >= buffer.count { grow() }
        buffer[slot] = Flight(index: index, bytes: bytes)
        count += 1
        self.bytes &+= bytes
    }

    /// Doubles the ring (starting at one slot), never beyond `size`. Growth only happens before the
    /// ring first wraps, so the used slots are a prefix and stay where they are.
    private mutating func grow() {
        var newSize = buffer.count * 2
        if newSize == 0 {
            newSize = 1
        } else if newSize > size {
            newSize = size
        }
        buffer.append(contentsOf: repeatElement(Flight(index: 0, bytes: 0), count: newSize - buffer.count))
    }

    /// Frees every in-flight message whose last index is `to` or lower: the follower has
    /// acknowledged them.
    ///
    /// etcd: `Inflights.FreeLE`.
    package mutating func freeLE(_ to: UInt64) {
        if count == 0 || to < buffer[start].index { return }
        var slot = start
        var freed = 0
        var freedBytes: UInt64 = 0
        while freed < count {
            let flight = buffer[slot]
            if to < flight.index { break }
            freedBytes &+= flight.bytes
            freed += 1
            slot += 1
            if slot >= size { slot -= size }
        }
        count -= freed
        bytes &-= freedBytes
        start = count == 0 ? 0 : slot
    }

    /// Whether no more messages may be sent: the count limit, or the byte limit, is reached.
    ///
    /// etcd: `Inflights.Full`.
    package var full: Bool {
        count == size || (maxBytes != 0 && bytes >= maxBytes)
    }

    /// Forgets every in-flight message (the follower changed replication state).
    ///
    /// etcd: `Inflights.reset`.
    package mutating func reset() {
        count = 0
        start = 0
        bytes = 0
    }

    /// The last indexes of the in-flight messages, oldest first (for tests and debugging).
    ///
    /// etcd: none (reading `Inflights.buffer` in etcd's tests).
    package var indexes: [UInt64] {
        var out: [UInt64] = []
        out.reserveCapacity(count)
        var slot = start
        for _ in 0..<count {
            out.append(buffer[slot].index)
            slot += 1
            if slot >= size { slot -= size }
        }
        return out
    }

    /// The number of slots currently allocated (grows lazily up to `size`; for tests).
    ///
    /// etcd: `len(Inflights.buffer)`.
    package var capacity: Int { buffer.count }

    /// Equal when the limits and the in-flight messages (indexes and bytes, in order) are equal,
    /// whatever the ring's layout and allocated size.
    ///
    /// etcd: none (its tests compare whole structs).
    package static func == (a: Inflights, b: Inflights) -> Bool {
        guard a.size == b.size, a.maxBytes == b.maxBytes, a.count == b.count, a.bytes == b.bytes else {
            return false
        }
        var i = a.start
        var j = b.start
        for _ in 0..<a.count {
            if a.buffer[i] != b.buffer[j] { return false }
            i += 1
            if i >= a.size { i -= a.size }
            j += 1
            if j >= b.size { j -= b.size }
        }
        return true
    }
}
