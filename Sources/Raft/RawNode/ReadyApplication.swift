/// The application's side of the Ready contract, as four duties: persist, send, apply, advance.
///
/// Applications drive raft through a loop over Readies (raftexample's `serveChannels`, raftkv's
/// Ready loop, the simulator's nodes); each does these four things in its own way. Written as a
/// protocol, the *order* of the duties becomes one function, `handleReady`, which the workbook's
/// exercise 3.3 asks the learner to write and the simulator then runs under crashes.
package protocol ReadyApplication {
    /// Writes the hard state, the entries and the snapshot durably (an empty value: nothing to
    /// write). Throws when the write did not happen, because the node crashed while writing: the
    /// Ready's handling ends there, and nothing after it may happen.
    func persist(hardState: HardState, entries: [Entry], snapshot: Snapshot) throws
    /// Hands messages to the network.
    func send(_ messages: [Message])
    /// Applies committed entries (and conf changes) to the application's state machine.
    func apply(_ entries: [Entry])
    /// Serves the linearizable reads whose read index is now known.
    func serveReads(_ readStates: [ReadState])
    /// Tells raft the Ready was handled.
    func advance(_ rd: Ready)
}

/// Handles one Ready (synchronous storage writes) in the order that keeps raft's promises:
/// persist first, since the messages may promise what is persisted (a vote, an acknowledged
/// entry); then send; then apply what committed and serve the reads it answers; then advance.
///
/// etcd: the loop `Ready` documents, and raftexample's `serveChannels`.
package func handleReady(_ rd: Ready, _ app: some ReadyApplication) throws {
    try app.persist(hardState: rd.hardState, entries: rd.entries, snapshot: rd.snapshot)
    app.send(rd.messages)
    app.apply(rd.committedEntries)
    app.serveReads(rd.readStates)
    app.advance(rd)
}
