import Raft

/// Chapter 3 answered by the library: `Ready.mustSync`, and the Ready loop that `Ready`'s
/// documentation prescribes (the library leaves the loop itself to the application).
struct Ch03Reference: Ch03Exercises {
    func mustSync(previous: HardState, current: HardState, entryCount: Int) -> Bool {
        Ready.mustSync(current, previous, entryCount: entryCount)
    }

    func readyPlan(for ready: Ready) -> [ReadyAction] {
        var plan: [ReadyAction] = []
        if !ready.snapshot.isEmpty { plan.append(.saveSnapshot(ready.snapshot)) }
        if !ready.entries.isEmpty { plan.append(.appendEntries(ready.entries)) }
        if !ready.hardState.isEmpty { plan.append(.saveHardState(ready.hardState)) }
        if !ready.messages.isEmpty { plan.append(.send(ready.messages)) }
        if !ready.committedEntries.isEmpty { plan.append(.apply(ready.committedEntries)) }
        plan.append(.advance)
        return plan
    }
}
