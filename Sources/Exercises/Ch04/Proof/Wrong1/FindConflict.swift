import Raft

// Wrong: only entries the log holds are compared, so entries past its end are taken as held.
// Caught by: entries past the end of the log are new: the first of them is the answer
func findConflict(_ log: RaftLog, _ entries: [Entry]) -> UInt64 {
    for entry in entries where entry.index <= log.lastIndex() && !log.matchTerm(entry.id) {
        log.logger.info("found conflict at index \(entry.index) [existing term: \(log.zeroTermOnOutOfBounds(entry.index)), conflicting term: \(entry.term)]")
        return entry.index
    }
    return 0
}
