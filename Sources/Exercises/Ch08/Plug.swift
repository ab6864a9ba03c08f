// Plugs your chapter 8 functions into raft, in place of the library's. Machinery: you do not
// need to read or change it. The workbook plugs in only the exercises you have written.
import ExerciseSupport
import Raft

package enum Chapter08 {
    package static func plug(_ ids: Set<ExerciseID>, into parts: inout Parts) {
        if ids.contains("8.1") {
            parts.jointCommittedIndex = { c, l in PartGuard.run("8.1") { jointCommittedIndex(c, l) } }
        }
        if ids.contains("8.2") {
            parts.jointVoteResult = { c, votes in PartGuard.run("8.2") { jointVoteResult(c, votes) } }
        }
        if ids.contains("8.3") {
            parts.leaveJoint = { changer throws(ConfChangeError) in
                try PartGuard.run("8.3") { () throws(ConfChangeError) in try leaveJoint(changer) }
            }
        }
    }
}
