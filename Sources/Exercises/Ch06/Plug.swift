// Plugs your chapter 6 functions into raft, in place of the library's. Machinery: you do not
// need to read or change it. The workbook plugs in only the exercises you have written.
import ExerciseSupport
import Raft

package enum Chapter06 {
    package static func plug(_ ids: Set<ExerciseID>, into parts: inout Parts) {
        if ids.contains("6.1") {
            parts.committedIndex = { c, l in PartGuard.run("6.1") { committedIndex(c, l) } }
        }
        if ids.contains("6.2") {
            parts.sentEntries = { pr, entries, bytes in PartGuard.run("6.2") { sentEntries(pr, entries, bytes) } }
        }
        if ids.contains("6.3") {
            parts.maybeDecrTo = { pr, rejected, matchHint in
                PartGuard.run("6.3") { maybeDecrTo(pr, rejected: rejected, matchHint: matchHint) }
            }
        }
        if ids.contains("6.4") {
            parts.handleAppendRejection = { r, m, pr in PartGuard.run("6.4") { handleAppendRejection(r, m, pr) } }
        }
    }
}
