import Raft

/// The simulated network: messages in flight, each due at a virtual time, and the links that are
/// currently cut.
///
/// Messages are delivered in order of (due time, send number), so a message sent later with a
/// shorter delay overtakes an earlier one: that is the only reordering, as on a real network
/// where each packet takes its own time. Whether a link is cut is decided when a message arrives:
/// a cut loses what is on the wire, too.
///
/// The network decides nothing at random itself; the simulator hands it each message's `Fate`.
struct Network {
    /// One message on the wire.
    struct InFlight {
        var due: Int
        /// The send number of the message, which orders messages due at the same time.
        var sequence: UInt64
        var message: Message
        var isCopy: Bool
    }

    /// A directed link between two nodes.
    struct Link: Hashable {
        var from: UInt64
        var to: UInt64
    }

    private var heap = MessageHeap()
    private var nextSequence: UInt64 = 0
    /// Cut links. Only ever queried, never iterated, so its order cannot leak into a run.
    private(set) var cut: Set<Link> = []

    var inFlightCount: Int { heap.count }

    /// Puts `message` on the wire according to `fate`. Returns how many copies went out.
    @discardableResult
    mutating func send(_ message: Message, fate: Fate, now: Int) -> Int {
        if fate.drop { return 0 }
        push(message, due: now + fate.delay, isCopy: false)
        if let dup = fate.duplicateDelay {
            push(message, due: now + dup, isCopy: true)
            return 2
        }
        return 1
    }

    private mutating func push(_ message: Message, due: Int, isCopy: Bool) {
        heap.push(InFlight(due: due, sequence: nextSequence, message: message, isCopy: isCopy))
        nextSequence += 1
    }

    /// The next message due at or before `now`, if any.
    mutating func nextDue(now: Int) -> InFlight? {
        guard let due = heap.peekDue, due <= now else { return nil }
        return heap.pop()
    }

    /// Whether messages from `from` to `to` currently get through.
    func isOpen(_ from: UInt64, _ to: UInt64) -> Bool {
        cut.isEmpty || !cut.contains(Link(from: from, to: to))
    }

    /// Cuts every link between nodes of different groups among `nodes`; nodes in no group are cut
    /// off from all others.
    mutating func partition(_ groups: [[UInt64]], nodes: [UInt64]) {
        var groupOf: [UInt64: Int] = [:]
        for (g, members) in groups.enumerated() { for id in members { groupOf[id] = g } }
        for a in nodes {
            for b in nodes where a != b {
                let ga = groupOf[a], gb = groupOf[b]
                if ga == nil || gb == nil || ga != gb { cut.insert(Link(from: a, to: b)) }
            }
        }
    }

    /// Cuts the link from `from` to `to` only.
    mutating func cutOneWay(_ from: UInt64, _ to: UInt64) { cut.insert(Link(from: from, to: to)) }

    /// Restores every link.
    mutating func heal() { cut.removeAll() }

    /// Loses every message in flight (for tests that want a quiet network).
    mutating func clear() { heap = MessageHeap() }
}

/// A binary min-heap of in-flight messages ordered by (due, sequence).
///
/// The heap orders small keys; the messages themselves (large structs) stay in a slab and are
/// moved only when pushed and popped.
struct MessageHeap {
    private struct Key {
        var due: Int
        var sequence: UInt64
        var slot: Int
    }

    private var keys: [Key] = []
    private var slab: [Network.InFlight?] = []
    private var free: [Int] = []

    var count: Int { keys.count }
    var peekDue: Int? { keys.first?.due }

    @inline(__always)
    private static func less(_ a: Key, _ b: Key) -> Bool {
        a.due != b.due ? a.due < b.due : a.sequence < b.sequence
    }

    mutating func push(_ item: Network.InFlight) {
        let slot: Int
        if let f = free.popLast() {
            slot = f
            slab[f] = item
        } else {
            slot = slab.count
            slab.append(item)
        }
        keys.append(Key(due: item.due, sequence: item.sequence, slot: slot))
        var child = keys.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard MessageHeap.less(keys[child], keys[parent]) else { break }
            keys.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() -> Network.InFlight? {
        guard let top = keys.first else { return nil }
        let last = keys.removeLast()
        if !keys.isEmpty {
            keys[0] = last
            var parent = 0
            let n = keys.count
            while true {
                let left = 2 * parent + 1, right = left + 1
                var smallest = parent
                if left < n && MessageHeap.less(keys[left], keys[smallest]) { smallest = left }
                if right < n && MessageHeap.less(keys[right], keys[smallest]) { smallest = right }
                if smallest == parent { break }
                keys.swapAt(parent, smallest)
                parent = smallest
            }
        }
        let item = slab[top.slot].take()
        free.append(top.slot)
        return item
    }
}
