// Plugs your chapter 1 functions into raft, in place of the library's. Machinery: you do not
// need to read or change it. The workbook plugs in only the exercises you have written.
import ExerciseSupport
import Raft

package enum Chapter01 {
    package static func plug(_ ids: Set<ExerciseID>, into parts: inout Parts) {
        if ids.contains("1.1") {
            parts.checkPeerMessage = { node, m throws(RaftError) in
                try PartGuard.run("1.1") { () throws(RaftError) in try checkPeerMessage(node, m) }
            }
        }
        if ids.contains("1.2") {
            parts.observeLeader = { loop, r in PartGuard.run("1.2") { observeLeader(&loop, r) } }
        }
        if ids.contains("1.3") {
            parts.takeReady = { loop, raw in PartGuard.run("1.3") { takeReady(&loop, raw) } }
        }
    }
}
