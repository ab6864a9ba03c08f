/// The part of a node's state that must reach stable storage before it speaks: the term it is in,
/// whom it voted for in that term, and how far it knows the log to be committed.
///
/// etcd: `raftpb.HardState`.
public struct HardState: Sendable, Hashable {
    /// The current term.
    public var term: UInt64
    /// The node voted for in `term`, or `PeerID.none`; one vote per term, which is why it is persisted.
    public var vote: UInt64
    /// The highest index known to be committed.
    public var commit: UInt64

    /// A hard state; by default the empty one (a node that never started).
    public init(term: UInt64 = 0, vote: UInt64 = 0, commit: UInt64 = 0) {
        self.term = term
        self.vote = vote
        self.commit = commit
    }

    /// The zero hard state, which a Ready uses to mean "unchanged".
    public static let empty = HardState()

    /// etcd: `IsEmptyHardState`.
    @inlinable public var isEmpty: Bool { self == .empty }
}
