import Raft

// Wrong: hands out a new Ready whenever raft has one, even while the last one still awaits its
// advance (the application may not have persisted it yet).
// Caught by: no second Ready is handed out before the first is advanced
func takeReady(_ loop: inout NodeLoop, _ raw: RawNode) -> Ready? {
    guard raw.hasReady() else { return nil }
    let rd = raw.ready()
    if !raw.asyncStorageWrites {
        loop.awaitingAdvance = true
        loop.applyingOutstanding = !rd.committedEntries.isEmpty
    }
    return rd
}
