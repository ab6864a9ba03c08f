@testable import Raft

// Invariant checks that report instead of trapping: `RaftLog.checkInvariants()` stops the process
// on a violation, which would end the whole test run at the first failure; these return what is
// wrong, so a test can record it and show the input that caused it.

/// Everything wrong with the log's bookkeeping: the positions out of order, the unstable part
/// malformed, or a gap between storage and the unstable entries. Empty when all is well.
func logInvariantViolations(_ log: RaftLog) -> [String] {
    var problems: [String] = []
    let last = log.lastIndex()
    if log.applied > log.applying { problems.append("applied \(log.applied) > applying \(log.applying)") }
    if log.applying > log.committed { problems.append("applying \(log.applying) > committed \(log.committed)") }
    if log.committed > last { problems.append("committed \(log.committed) > lastIndex \(last)") }
    let u = log.unstable
    if u.offset > u.offsetInProgress { problems.append("unstable offset \(u.offset) > offsetInProgress \(u.offsetInProgress)") }
    if u.offsetInProgress > u.offset + UInt64(u.entries.count) {
        problems.append("offsetInProgress \(u.offsetInProgress) beyond the unstable entries")
    }
    for (k, e) in u.entries.enumerated() where e.index != u.offset + UInt64(k) {
        problems.append("unstable entry \(e.id) at position \(k) from offset \(u.offset)")
        break
    }
    if u.snapshotInProgress && u.snapshot == nil { problems.append("snapshot in progress without a snapshot") }
    if let s = u.snapshot {
        if s.metadata.index >= u.offset { problems.append("unstable snapshot \(s.metadata.index) not below offset \(u.offset)") }
    } else if let storageLast = try? log.storage.lastIndex(), u.offset > storageLast + 1 {
        problems.append("gap between storage (last \(storageLast)) and unstable offset \(u.offset)")
    }
    // Every entry the log claims to have must be readable with its term.
    if (try? log.term(last)) == nil { problems.append("last index \(last) has no term") }
    return problems
}

/// What a test remembers of a node between two steps, to check what may never go backwards.
struct NodeHistory {
    var term: UInt64 = 0
    var committed: UInt64 = 0
    /// The vote cast in each term, once cast.
    var votes: [UInt64: UInt64] = [:]
    /// The term of each committed entry seen, by index: a committed entry never changes.
    var committedTerms: [UInt64: UInt64] = [:]
    /// The leader's last index in its current term: a leader never truncates its own log.
    var leaderLast: (term: UInt64, index: UInt64)?

    /// Checks `r` against what was seen before and records what is seen now. Returns the
    /// violations found.
    mutating func check(_ r: RaftStateMachine) -> [String] {
        var problems = logInvariantViolations(r.raftLog)
        if r.term < term { problems.append("term went back from \(term) to \(r.term)") }
        if r.raftLog.committed < committed {
            problems.append("commit index went back from \(committed) to \(r.raftLog.committed)")
        }
        if r.vote != PeerID.none {
            if let earlier = votes[r.term], earlier != r.vote {
                problems.append("voted for \(earlier) and then \(r.vote) in term \(r.term)")
            }
            votes[r.term] = r.vote
        }
        if r.state == .candidate && r.vote != r.id {
            problems.append("candidate at term \(r.term) voted for \(r.vote), not itself")
        }
        if r.state == .leader && r.lead != r.id { problems.append("leader believes \(r.lead) leads") }
        if r.state == .leader {
            let last = r.raftLog.lastIndex()
            if let previous = leaderLast, previous.term == r.term, last < previous.index {
                problems.append("leader's log shrank from \(previous.index) to \(last) in term \(r.term)")
            }
            leaderLast = (r.term, last)
        } else {
            leaderLast = nil
        }
        // Committed entries keep their term for as long as they are readable.
        let firstReadable = r.raftLog.firstIndex()
        for (index, t) in committedTerms where index >= firstReadable {
            if let now = try? r.raftLog.term(index), now != t {
                problems.append("committed entry \(index) changed term from \(t) to \(now)")
            }
        }
        if r.raftLog.committed > committed {
            let from = max(committed + 1, firstReadable)
            if from <= r.raftLog.committed {
                for index in from...r.raftLog.committed {
                    if let t = try? r.raftLog.term(index) { committedTerms[index] = t }
                }
            }
        }
        term = r.term
        committed = r.raftLog.committed
        return problems
    }
}
