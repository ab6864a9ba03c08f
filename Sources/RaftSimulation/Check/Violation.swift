/// A broken invariant, with enough to find it again.
public struct Violation: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// Two nodes led the same term.
        case twoLeadersInTerm = "two leaders in one term"
        /// A node's entry at a committed index differs from the committed one.
        case committedEntryChanged = "committed entry changed"
        /// A new leader's log lacks an entry committed before its term.
        case leaderMissesCommittedEntry = "leader misses a committed entry"
        /// A node applied something other than the next entry of the one global sequence.
        case appliedSequenceDiverged = "applied sequence diverged"
        /// A read did not see a write acknowledged before the read was issued.
        case staleRead = "stale read"
        /// A node's term went down while it was running, or on disk.
        case termWentBack = "term went back"
        /// A node crashed before writing state it had already promised in a message (entries it
        /// acknowledged, a vote it granted): what a quorum or an election counted is not on its
        /// disk. Only an application that sends before it persists does this; the workbook's
        /// judge shows it by crashing nodes in the middle of a write.
        case acknowledgedStateLost = "acknowledged state lost"
        /// Raft handed the application something it could not persist or apply as the Ready
        /// contract promises (a gap in the entries, a snapshot older than the log...).
        case brokenReady = "broken Ready"
        /// No leader within the bound after faults stopped.
        case noLeaderAfterHeal = "no leader after faults stopped"
        /// A write not acknowledged within the bound after faults stopped.
        case writeStuckAfterHeal = "write not committed after faults stopped"
    }

    public var kind: Kind
    public var step: Int
    public var detail: String

    public var description: String { "\(kind.rawValue) at step \(step): \(detail)" }
}
