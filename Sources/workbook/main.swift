// workbook: the SwiftRaft Workbook's command line. Lists the chapters with the learner's
// progress, runs a chapter's program (on the learner's code with --yours), judges the learner's
// exercises (their checks, etcd's transcripts, the fault simulator), prints hints and answers,
// watches the exercise files, and proves for CI that every exercise's checks bite.

import Foundation
import WorkbookKit

let workbench = Workbench(chapters: Workbook.chapters, console: .standard, root: Workshop.findRoot())
let status: Int32
do {
    status = workbench.perform(try Command.parse(Array(CommandLine.arguments.dropFirst())))
} catch {
    status = workbench.usageError(error.message)
}
exit(status)
