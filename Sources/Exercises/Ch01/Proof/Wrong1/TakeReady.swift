import Raft

// Wrong: the Ready is handed out but not remembered as awaiting its advance, so `Node.advance()`
// finds nothing to advance: raft never hears that the Ready was handled.
// Caught by: a Ready handed out awaits its advance
func takeReady(_ loop: inout NodeLoop, _ raw: RawNode) -> Ready? {
    guard !loop.awaitingAdvance, raw.hasReady() else { return nil }
    let rd = raw.ready()
    if !raw.asyncStorageWrites {
        loop.applyingOutstanding = !rd.committedEntries.isEmpty
    }
    return rd
}
