/// What each node's Ready loop and the script saw in chapter 1's `Node` story, kept per node so it
/// can be printed in a fixed order; and a way to wait until every node has applied some index.
actor Journal {
    /// A task waiting until every node in `ids` has applied `index`.
    private struct Waiter {
        let index: UInt64
        let ids: [UInt64]
        let continuation: CheckedContinuation<Void, Never>
    }

    private var lines: [UInt64: [String]] = [:]
    private var appliedIndex: [UInt64: UInt64] = [:]
    private var waiters: [Waiter] = []

    func note(_ id: UInt64, _ text: String) { lines[id, default: []].append(text) }

    /// Records that node `id` applied `index`, and wakes the waiters this satisfies.
    func applied(_ id: UInt64, _ index: UInt64) {
        appliedIndex[id] = index
        let done = waiters.filter { haveApplied($0.index, $0.ids) }
        waiters.removeAll { haveApplied($0.index, $0.ids) }
        for waiter in done { waiter.continuation.resume() }
    }

    /// Returns once every node in `ids` has applied `index`.
    func waitUntilApplied(_ index: UInt64, by ids: [UInt64]) async {
        if haveApplied(index, ids) { return }
        await withCheckedContinuation { waiters.append(Waiter(index: index, ids: ids, continuation: $0)) }
    }

    private func haveApplied(_ index: UInt64, _ ids: [UInt64]) -> Bool {
        ids.allSatisfy { (appliedIndex[$0] ?? 0) >= index }
    }

    /// Every node's lines, node by node in the order of `ids`.
    func report(_ ids: [UInt64]) -> [String] {
        ids.flatMap { id in ["  node \(id):"] + (lines[id] ?? []).map { "    " + $0 } }
    }
}
