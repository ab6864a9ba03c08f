import Raft

// Wrong: the unstable entries are not marked as being written, so until `advance` raft still
// has them to hand out (with asynchronous writes, in every following Ready).
// Caught by: entries handed out are marked as being written, committed ones as being applied
func acceptReady(_ rn: RawNode, _ rd: Ready) {
    let raft = rn.raft
    if let softState = rd.softState { rn.prevSoftState = softState }
    if !rd.hardState.isEmpty { rn.prevHardState = rd.hardState }
    if !rd.readStates.isEmpty { raft.readStates = [] }
    if !rn.asyncStorageWrites {
        if !rn.stepsOnAdvance.isEmpty { raft.logger.panic("two accepted Ready structs without call to Advance") }
        for m in raft.msgsAfterAppend where m.to == raft.id { rn.stepsOnAdvance.append(m) }
        if rn.needStorageAppendRespMsg(rd) { rn.stepsOnAdvance.append(rn.newStorageAppendRespMsg(rd)) }
        if !rd.committedEntries.isEmpty { rn.stepsOnAdvance.append(rn.newStorageApplyRespMsg(rd.committedEntries)) }
    }
    raft.msgs = []
    raft.msgsAfterAppend = []
    if let last = rd.committedEntries.last {
        do {
            try raft.raftLog.acceptApplying(last.index, size: entsSize(rd.committedEntries),
                                            allowUnstable: rn.applyUnstableEntries)
        } catch {
            raft.logger.panic("\(error)")
        }
    }
}
