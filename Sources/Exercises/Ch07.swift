import Raft
import WorkbookChecks

/// Chapter 7, snapshots and compaction.
///
/// Solve the exercises below, then check them with `swift run workbook check 7`. The questions
/// are documented on `Ch07Exercises`; the checks are in
/// `Sources/WorkbookChecks/Checks/Ch07Checks.swift`.
public struct Ch07: Ch07Exercises {
    public init() {}

    /// Exercise 7.1, compaction bounds: what `MemoryStorage.compact` does with an index.
    ///
    /// Hint (`swift run workbook hint 7.1`): The storage keeps a placeholder at firstIndex - 1 standing
    /// for the last compacted entry. Compacting at an index at or below it is .alreadyCompacted; past
    /// lastIndex there is nothing to compact into (.beyondLastIndex). Otherwise the entry at the
    /// compaction index becomes the new placeholder: the first index becomes compactIndex + 1 and the
    /// last index does not move, even when that leaves no entry.
    public func compact(_ storage: StorageBounds, at compactIndex: UInt64) -> CompactionResult {
        // TODO(ch07): refuse what is already compacted or not yet written; else move firstIndex.
        .compacted(storage)
    }

    /// Exercise 7.2, snapshot or append: how a leader catches a follower up.
    ///
    /// Hint (`swift run workbook hint 7.2`): An append carries the entries from followerMatch + 1 on,
    /// and names the entry just before them (index and term) so the follower can check that its log
    /// matches there. The leader can send it only if it still knows that entry's term: an index at or
    /// after firstIndex - 1 (the placeholder keeps the last compacted entry's term). If that entry was
    /// compacted away, only the snapshot can bring the follower up to date.
    public func catchUp(leader: StorageBounds, followerMatch: UInt64) -> CatchUp {
        // TODO(ch07): can the leader still name the entry just before the ones it sends?
        .snapshot
    }
}
