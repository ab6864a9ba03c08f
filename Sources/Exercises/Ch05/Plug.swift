// Plugs your chapter 5 functions into raft, in place of the library's. Machinery: you do not
// need to read or change it. The workbook plugs in only the exercises you have written.
import ExerciseSupport
import Raft

package enum Chapter05 {
    package static func plug(_ ids: Set<ExerciseID>, into parts: inout Parts) {
        if ids.contains("5.1") {
            parts.readOnlyAdvance = { (ro: inout ReadOnly, m: Message) in
                PartGuard.run("5.1") { readOnlyAdvance(&ro, m) }
            }
        }
        if ids.contains("5.2") {
            parts.handleReadIndex = { r, m in PartGuard.run("5.2") { handleReadIndex(r, m) } }
        }
        if ids.contains("5.3") {
            parts.sendReadIndexResponse = { r, m in PartGuard.run("5.3") { sendReadIndexResponse(r, m) } }
        }
    }
}
