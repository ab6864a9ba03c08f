// Plugs your chapter 3 functions into raft, in place of the library's. Machinery: you do not
// need to read or change it. The workbook plugs in only the exercises you have written.
import ExerciseSupport
import Raft

package enum Chapter03 {
    package static func plug(_ ids: Set<ExerciseID>, into parts: inout Parts) {
        if ids.contains("3.1") {
            parts.mustSync = { hs, prev, entryCount in PartGuard.run("3.1") { mustSync(hs, prev, entryCount) } }
        }
        if ids.contains("3.2") {
            parts.acceptReady = { rn, rd in PartGuard.run("3.2") { acceptReady(rn, rd) } }
        }
        if ids.contains("3.3") {
            parts.handleReady = { rd, app in try PartGuard.run("3.3") { try handleReady(rd, app) } }
        }
    }
}
