// workbook: the SwiftRaft Workbook's command line. Lists the chapters with the reader's progress,
// prints a chapter, checks the reader's exercises, prints hints, and proves (for CI) that every
// check fails on the untouched stubs and passes on the reference.

import Exercises
import WorkbookChecks
import WorkbookKit

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The reader's solutions: the structs in Sources/Exercises.
let learner = Solutions(
    ch01: Ch01(), ch02: Ch02(), ch03: Ch03(), ch04: Ch04(), ch05: Ch05(),
    ch06: Ch06(), ch07: Ch07(), ch08: Ch08(), ch09: Ch09())

let workbench = Workbench(chapters: Workbook.chapters, learner: learner, console: .standard)
let status: Int32
do {
    status = workbench.perform(try Command.parse(Array(CommandLine.arguments.dropFirst())))
} catch {
    status = workbench.usageError(error.message)
}
exit(status)
