import Raft

// Wrong: sends every message before persisting, acknowledgements and votes included: a crash
// during the write breaks what they promised (a vote forgotten, an acknowledged entry lost).
// Caught by: acknowledgements and votes leave only after the write they promise
func handleReady(_ rd: Ready, _ app: any ReadyApplication) throws {
    app.send(rd.messages)
    try app.persist(hardState: rd.hardState, entries: rd.entries, snapshot: rd.snapshot)
    app.apply(rd.committedEntries)
    app.serveReads(rd.readStates)
    app.advance(rd)
}
