import ExerciseSupport
import Raft

/// Exercise 1.3: one Ready at a time, until it is advanced.
///
/// Write what `NodeLoop.takeReady` does (Chapter 1, "etcd's run loop beside our actor"; Chapter
/// 3 for the Ready itself). `Node` calls your function whenever a consumer of `node.readies`
/// waits for a Ready, with the loop's memory `loop` and the node's `raw`.
///
/// Return nil while a Ready handed out earlier still awaits `advance()`
/// (`loop.awaitingAdvance`), and when `raw` has nothing to do; in both cases leave `raw`
/// untouched (taking a Ready from it marks that work as handed out). Otherwise take the Ready
/// from `raw` and return it, remembering in `loop` that it awaits its advance and whether it
/// carries committed entries to apply (`loop.applyingOutstanding`: `Node` holds back snapshots
/// meanwhile). With asynchronous storage writes (`raw.asyncStorageWrites`) no Ready awaits an
/// advance: remember nothing.
///
/// `Node.advance()` clears both flags and tells `raw`; it does nothing while
/// `loop.awaitingAdvance` is false.
///
/// Useful: `raw.hasReady()`, `raw.ready()`, `raw.asyncStorageWrites`, `rd.committedEntries`.
///
/// Check it: `swift run workbook check 1`. Stuck: `swift run workbook hint 1.3`.
func takeReady(_ loop: inout NodeLoop, _ raw: RawNode) -> Ready? {
    todo()
}
