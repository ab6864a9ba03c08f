import Raft

// Wrong: advances before applying: raft takes the committed entries as applied (and may build
// the next Ready on that) while the state machine has not applied them yet.
// Caught by: advance comes last, once, after the entries are applied and the reads served
func handleReady(_ rd: Ready, _ app: any ReadyApplication) throws {
    try app.persist(hardState: rd.hardState, entries: rd.entries, snapshot: rd.snapshot)
    app.send(rd.messages)
    app.advance(rd)
    app.apply(rd.committedEntries)
    app.serveReads(rd.readStates)
}
