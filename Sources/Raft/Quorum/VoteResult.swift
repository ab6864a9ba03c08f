/// The outcome of an election (or of any yes/no poll of the voters) as far as it is known so far.
///
/// Raft needs to tell "not decided yet" apart from "lost", so that a candidate keeps waiting for
/// votes in the first case and steps down in the second.
///
/// `package`, not public: raft's election arithmetic; the tests and exercises Ch02 and Ch08
/// use it.
///
/// etcd: `quorum.VoteResult`.
package enum VoteResult: Sendable, Hashable, CustomStringConvertible {
    /// Neither a quorum of yes nor a quorum of no has been reached: outstanding votes decide.
    case votePending
    /// Enough voters said no that a quorum of yes is no longer possible.
    case voteLost
    /// A quorum said yes.
    case voteWon

    /// etcd's names, as printed by its quorum tests: `VotePending`, `VoteLost`, `VoteWon`.
    ///
    /// etcd: `VoteResult.String`.
    package var description: String {
        switch self {
        case .votePending: "VotePending"
        case .voteLost: "VoteLost"
        case .voteWon: "VoteWon"
        }
    }
}

/// Answers "which log index has this voter acknowledged?", so that quorum arithmetic does not
/// depend on where that knowledge is kept (the leader's progress map, a test table...).
///
/// `package`, not public: raft's commit arithmetic; RaftTesting's quorum harness and
/// exercises Ch06 and Ch08 use it.
///
/// etcd: `quorum.AckedIndexer`.
package protocol AckedIndexer {
    /// The highest index `voterID` is known to have acknowledged, or `nil` when nothing is known
    /// about that voter (which is different from having acknowledged index 0).
    ///
    /// etcd: `AckedIndexer.AckedIndex`.
    func ackedIndex(_ voterID: UInt64) -> UInt64?
}

/// An `AckedIndexer` backed by a plain dictionary; handy in tests and tools.
///
/// `package`, like `AckedIndexer`.
///
/// etcd: `quorum.mapAckIndexer`.
package struct MapAckIndexer: AckedIndexer, Sendable, Hashable, ExpressibleByDictionaryLiteral {
    /// The acknowledged index of each voter that has reported one.
    ///
    /// etcd: the `mapAckIndexer` map.
    package var indexes: [UInt64: UInt64]

    /// An indexer answering from `indexes`.
    ///
    /// etcd: `mapAckIndexer{...}`.
    package init(_ indexes: [UInt64: UInt64] = [:]) {
        self.indexes = indexes
    }

    /// Builds the indexer from `[voter: index]` literal pairs (the last pair wins on duplicates).
    ///
    /// etcd: `mapAckIndexer{1: 5, 2: 7}`.
    package init(dictionaryLiteral elements: (UInt64, UInt64)...) {
        indexes = Dictionary(elements, uniquingKeysWith: { _, last in last })
    }

    /// etcd: `mapAckIndexer.AckedIndex`.
    package func ackedIndex(_ voterID: UInt64) -> UInt64? {
        indexes[voterID]
    }
}
