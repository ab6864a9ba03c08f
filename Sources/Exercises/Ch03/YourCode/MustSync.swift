import ExerciseSupport
import Raft

/// Exercise 3.1: must this Ready be written durably before going on?
///
/// Write what `Ready.mustSync` does (Chapter 3, "mustSync"). `RawNode` calls your function for
/// every Ready it builds, with the hard state now (`hs`), the hard state of the last Ready handed
/// out (`prev`), and how many entries this Ready asks to append (`entryCount`); the answer is the
/// Ready's `mustSync`, which every interaction transcript prints (`Ready MustSync=true:`).
///
/// Return true when the write holds something Raft's safety needs on disk before the node
/// answers anyone (Raft paper, figure 2: which state is persistent, which is volatile?); these
/// are exactly what this Ready's messages may promise. Return false when losing the write costs
/// nothing the node cannot learn again from its leader: then the application may write lazily,
/// without an fsync.
///
/// Useful: `hs.term`, `hs.vote`, `hs.commit` (and the same in `prev`).
///
/// Check it: `swift run workbook check 3`. Stuck: `swift run workbook hint 3.1`.
func mustSync(_ hs: HardState, _ prev: HardState, _ entryCount: Int) -> Bool {
    todo()
}
