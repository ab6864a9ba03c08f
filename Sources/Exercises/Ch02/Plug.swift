// Plugs your chapter 2 functions into raft, in place of the library's. Machinery: you do not
// need to read or change it. The workbook plugs in only the exercises you have written.
import ExerciseSupport
import Raft

package enum Chapter02 {
    package static func plug(_ ids: Set<ExerciseID>, into parts: inout Parts) {
        if ids.contains("2.1") {
            parts.voteResult = { c, votes in PartGuard.run("2.1") { voteResult(c, votes) } }
        }
        if ids.contains("2.2") {
            parts.grantsVote = { r, m in PartGuard.run("2.2") { grantsVote(r, m) } }
        }
        if ids.contains("2.3") {
            parts.handleVoteResponse = { r, m in PartGuard.run("2.3") { handleVoteResponse(r, m) } }
        }
        if ids.contains("2.4") {
            parts.becomeLeader = { r in PartGuard.run("2.4") { becomeLeader(r) } }
        }
    }
}
