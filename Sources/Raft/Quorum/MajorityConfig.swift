/// A set of voters that decides by simple majority: more than half of them must agree.
///
/// The ids are kept sorted and unique in a plain array. Configurations are small (a handful of
/// voters) and are iterated far more often than changed, so a sorted array beats a hash set here:
/// iteration is in a stable order (deterministic output, like etcd's sorted printing) and costs no
/// hashing.
///
/// etcd: `quorum.MajorityConfig`.
public struct MajorityConfig: Sendable, Hashable, Sequence, ExpressibleByArrayLiteral, CustomStringConvertible {
    /// The voter ids, ascending, without duplicates.
    private var ids: [UInt64]

    /// The configuration of the given voters; duplicates collapse into one.
    ///
    /// etcd: building a `quorum.MajorityConfig` map.
    public init(_ ids: some Sequence<UInt64>) {
        var sorted = Array(ids)
        sorted.sort()
        var unique: [UInt64] = []
        unique.reserveCapacity(sorted.count)
        for id in sorted where unique.last != id {
            unique.append(id)
        }
        self.ids = unique
    }

    /// The empty configuration.
    ///
    /// etcd: `quorum.MajorityConfig{}`.
    public init() {
        ids = []
    }

    /// A configuration written as a list of ids, e.g. `[1, 2, 3]`.
    ///
    /// etcd: `quorum.MajorityConfig{1: {}, 2: {}}`.
    public init(arrayLiteral elements: UInt64...) {
        self.init(elements)
    }

    /// The number of voters.
    ///
    /// etcd: `len(MajorityConfig)`.
    public var count: Int { ids.count }

    /// Whether there are no voters. An empty half of a joint configuration agrees to everything.
    ///
    /// etcd: `len(MajorityConfig) == 0`.
    public var isEmpty: Bool { ids.isEmpty }

    /// The voters in ascending order.
    ///
    /// etcd: `MajorityConfig.Slice`.
    public var sorted: [UInt64] { ids }

    /// Where `id` is, or where it would be inserted to keep the ids sorted.
    private func position(of id: UInt64) -> (index: Int, found: Bool) {
        var low = 0
        var high = ids.count
        while low < high {
            let mid = (low + high) / 2
            if ids[mid] < id {
                low = mid + 1
            } else {
                high = mid
            }
        }
        return (low, low < ids.count && ids[low] == id)
    }

    /// Whether `id` is a voter of this configuration.
    ///
    /// etcd: `_, ok := c[id]`.
    public func contains(_ id: UInt64) -> Bool {
        position(of: id).found
    }

    /// Adds `id`; nothing happens when it is already a voter.
    ///
    /// etcd: `c[id] = struct{}{}`.
    package mutating func insert(_ id: UInt64) {
        let (index, found) = position(of: id)
        if !found { ids.insert(id, at: index) }
    }

    /// Removes `id`; nothing happens when it is not a voter.
    ///
    /// etcd: `delete(c, id)`.
    package mutating func remove(_ id: UInt64) {
        let (index, found) = position(of: id)
        if found { ids.remove(at: index) }
    }

    /// Iterates the voters in ascending order.
    ///
    /// etcd: `for id := range c` (in sorted order here).
    public func makeIterator() -> IndexingIterator<[UInt64]> {
        ids.makeIterator()
    }

    /// The exact number of voters (lets `Array(config)` allocate once).
    ///
    /// etcd: `len(MajorityConfig)`.
    public var underestimatedCount: Int { ids.count }

    /// The voters in parentheses, ascending and space-separated: `(1 2 3)`, or `()` when empty.
    ///
    /// etcd: `MajorityConfig.String`.
    public var description: String {
        "(" + ids.map { String($0) }.joined(separator: " ") + ")"
    }

    /// A table of the voters' acknowledged indexes with a bar per voter whose length grows with
    /// the rank of its index (equal indexes get equal bars); `?` marks voters with no known index.
    /// etcd's tests and debug output print this to show why an index is or is not committed.
    ///
    /// etcd: `MajorityConfig.Describe`.
    package func describe(_ l: some AckedIndexer) -> String {
        let n = ids.count
        if n == 0 { return "<empty majority quorum>" }

        let acked = ids.map { l.ackedIndex($0) }
        let indexOf = { (i: Int) -> UInt64 in acked[i] ?? 0 }
        // Positions in `ids`, ordered by acknowledged index and then by id.
        let byIndex = (0..<n).sorted { a, b in
            indexOf(a) != indexOf(b) ? indexOf(a) < indexOf(b) : ids[a] < ids[b]
        }
        var bars = [Int](repeating: 0, count: n)
        for rank in 1..<n {
            let current = byIndex[rank]
            let previous = byIndex[rank - 1]
            bars[current] = indexOf(previous) < indexOf(current) ? rank : bars[previous]
        }

        var out = String(repeating: " ", count: n) + "    idx\n"
        for i in 0..<n {
            if acked[i] == nil {
                out += "?" + String(repeating: " ", count: n)
            } else {
                out += String(repeating: "x", count: bars[i]) + ">" + String(repeating: " ", count: n - bars[i])
            }
            let index = String(indexOf(i))
            out += " " + String(repeating: " ", count: Swift.max(0, 5 - index.count)) + index
            out += "    (id=\(ids[i]))\n"
        }
        return out
    }

    /// The highest index acknowledged by a majority of the voters: the leader may consider
    /// everything up to it committed. Voters with no known index count as having acknowledged 0.
    /// The empty configuration returns `UInt64.max`, so that it never holds back the other half
    /// of a joint configuration.
    ///
    /// Runs on every append response the leader receives, so it sorts the indexes in a temporary
    /// buffer (on the stack for small configurations) rather than in a new array.
    ///
    /// etcd: `MajorityConfig.CommittedIndex`.
    package func committedIndex(_ l: some AckedIndexer) -> UInt64 {
        let n = ids.count
        if n == 0 { return UInt64.max }
        return withUnsafeTemporaryAllocation(of: UInt64.self, capacity: n) { buffer in
            // Known indexes fill the buffer from the right; unknown ones stay 0 on the left, which
            // is where sorting would put them anyway.
            buffer.initialize(repeating: 0)
            var slot = n - 1
            for id in ids {
                if let index = l.ackedIndex(id) {
                    buffer[slot] = index
                    slot -= 1
                }
            }
            // Insertion sort: n is tiny and this keeps everything in the buffer.
            for i in 1..<n {
                let value = buffer[i]
                var j = i
                while j > 0 && buffer[j - 1] > value {
                    buffer[j] = buffer[j - 1]
                    j -= 1
                }
                buffer[j] = value
            }
            // The n/2+1 largest indexes form a majority; the smallest of them is committed.
            return buffer[n - (n / 2 + 1)]
        }
    }

    /// Whether `votes` (voter id to yes/no; absent voters have not voted yet) already decide an
    /// election. The empty configuration wins every election, so that a joint configuration with
    /// an empty half behaves like its other half.
    ///
    /// etcd: `MajorityConfig.VoteResult`.
    package func voteResult(_ votes: [UInt64: Bool]) -> VoteResult {
        if ids.isEmpty { return .voteWon }
        var granted = 0
        var missing = 0
        for id in ids {
            guard let vote = votes[id] else {
                missing += 1
                continue
            }
            if vote { granted += 1 }
        }
        let quorum = ids.count / 2 + 1
        if granted >= quorum { return .voteWon }
        if granted + missing >= quorum { return .votePending }
        return .voteLost
    }
}
