import Raft

/// Exercise 6.3, the reference: the library's own code.
func maybeDecrTo(_ pr: Progress, rejected: UInt64, matchHint: UInt64) -> Bool {
    pr.maybeDecrTo(rejected: rejected, matchHint: matchHint)
}
