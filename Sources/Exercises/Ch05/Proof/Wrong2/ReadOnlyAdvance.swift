import Raft

// Wrong: an acknowledgement releases the whole queue, including requests that arrived after the
// acknowledged one and that no quorum has confirmed (the leader may have been deposed since).
// Caught by: reads queued after the acknowledged one stay pending
func readOnlyAdvance(_ ro: inout ReadOnly, _ m: Message) -> [ReadIndexStatus] {
    guard ro.readIndexQueue.contains(m.context) else { return [] }
    let confirmed = ro.readIndexQueue.compactMap { ro.pendingReadIndex[$0] }
    ro.readIndexQueue = []
    ro.pendingReadIndex = [:]
    return confirmed
}
