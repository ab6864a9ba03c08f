import Raft

/// Chapter 3, Ready and Advance: the application's side of the contract.
public protocol Ch03Exercises: Sendable {
    /// Exercise 3.1, `mustSync`.
    ///
    /// A Ready says whether its hard state and entries must reach disk durably (fsync) before its
    /// messages go out. Given the hard state of the previous Ready, the new hard state, and how
    /// many entries the new Ready carries, say whether a synchronous write is needed.
    func mustSync(previous: HardState, current: HardState, entryCount: Int) -> Bool

    /// Exercise 3.2, the Ready loop.
    ///
    /// Turn one Ready into the application's actions, in the order it performs them:
    ///
    /// 1. persist: save the snapshot (when not empty), append the entries (when any), save the
    ///    hard state (when not empty) — in that order: applying a snapshot replaces the whole
    ///    log, and a saved commit index must never point past the entries already written;
    /// 2. send the messages (when any);
    /// 3. apply the committed entries (when any);
    /// 4. advance, always, even for a Ready with nothing in it.
    ///
    /// Leave out the actions with nothing to do. Read states are served in chapter 5, not here.
    func readyPlan(for ready: Ready) -> [ReadyAction]
}

/// One thing the application does with a Ready.
public enum ReadyAction: Sendable, Hashable, CustomStringConvertible {
    /// `MemoryStorage.applySnapshot`: replace the stored log with this snapshot.
    case saveSnapshot(Snapshot)
    /// `MemoryStorage.append`: write these entries, replacing any stored from their first index.
    case appendEntries([Entry])
    /// `MemoryStorage.setHardState`.
    case saveHardState(HardState)
    /// Hand these messages to the transport.
    case send([Message])
    /// Apply these committed entries to the state machine, in order.
    case apply([Entry])
    /// `RawNode.advance`: the Ready is handled; raft may produce the next one.
    case advance

    public var description: String {
        switch self {
        case .saveSnapshot(let s): ".saveSnapshot(index \(s.metadata.index), term \(s.metadata.term))"
        case .appendEntries(let es): ".appendEntries(\(entryList(es)))"
        case .saveHardState(let hs): ".saveHardState(term \(hs.term), vote \(hs.vote), commit \(hs.commit))"
        case .send(let ms): ".send(\(ms.map { "\($0.type) \($0.from)→\($0.to)" }.joined(separator: ", ")))"
        case .apply(let es): ".apply(\(entryList(es)))"
        case .advance: ".advance"
        }
    }

    private func entryList(_ entries: [Entry]) -> String {
        entries.map { "\($0.id)" }.joined(separator: " ")
    }
}
