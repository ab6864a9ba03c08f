import Raft

// Wrong: the messages raft addressed to itself are dropped instead of waiting for advance: a
// candidate never counts its own vote, a leader never its own copy of an entry (a single node
// never elects itself nor commits anything).
// Caught by: what waits for advance: the node's own acknowledgement, then the storage receipts
func acceptReady(_ rn: RawNode, _ rd: Ready) {
    let raft = rn.raft
    if let softState = rd.softState { rn.prevSoftState = softState }
    if !rd.hardState.isEmpty { rn.prevHardState = rd.hardState }
    if !rd.readStates.isEmpty { raft.readStates = [] }
    if !rn.asyncStorageWrites {
        if !rn.stepsOnAdvance.isEmpty { raft.logger.panic("two accepted Ready structs without call to Advance") }
        if rn.needStorageAppendRespMsg(rd) { rn.stepsOnAdvance.append(rn.newStorageAppendRespMsg(rd)) }
        if !rd.committedEntries.isEmpty { rn.stepsOnAdvance.append(rn.newStorageApplyRespMsg(rd.committedEntries)) }
    }
    raft.msgs = []
    raft.msgsAfterAppend = []
    raft.raftLog.acceptUnstable()
    if let last = rd.committedEntries.last {
        do {
            try raft.raftLog.acceptApplying(last.index, size: entsSize(rd.committedEntries),
                                            allowUnstable: rn.applyUnstableEntries)
        } catch {
            raft.logger.panic("\(error)")
        }
    }
}
