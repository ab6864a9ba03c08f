import Raft

// Wrong: releases only the request that was acknowledged; the ones queued before it stay
// pending, and their own acknowledgements (carried by older heartbeats) may never come.
// Caught by: an acknowledgement releases its read and every read queued before it, oldest first
func readOnlyAdvance(_ ro: inout ReadOnly, _ m: Message) -> [ReadIndexStatus] {
    guard let position = ro.readIndexQueue.firstIndex(of: m.context),
          let rs = ro.pendingReadIndex.removeValue(forKey: m.context) else { return [] }
    ro.readIndexQueue.remove(at: position)
    return [rs]
}
