// Plugs your chapter 4 functions into raft, in place of the library's. Machinery: you do not
// need to read or change it. The workbook plugs in only the exercises you have written.
import ExerciseSupport
import Raft

package enum Chapter04 {
    package static func plug(_ ids: Set<ExerciseID>, into parts: inout Parts) {
        if ids.contains("4.1") {
            parts.truncateAndAppend = { u, entries throws(StorageError) in
                try PartGuard.run("4.1") { () throws(StorageError) in try truncateAndAppend(u, entries) }
            }
        }
        if ids.contains("4.2") {
            parts.findConflict = { log, entries in PartGuard.run("4.2") { findConflict(log, entries) } }
        }
        if ids.contains("4.3") {
            parts.findConflictByTerm = { log, index, term in
                PartGuard.run("4.3") { findConflictByTerm(log, index: index, term: term) }
            }
        }
        if ids.contains("4.4") {
            parts.maybeAppend = { log, index, logTerm, committed, entries throws(StorageError) in
                try PartGuard.run("4.4") { () throws(StorageError) in
                    try maybeAppend(log, index: index, logTerm: logTerm, committed: committed, entries: entries)
                }
            }
        }
    }
}
