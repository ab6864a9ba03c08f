// ch02-raft-roles: prints chapter 2's scenario (--help lists the flags; --yours runs it on your code).
// See Chapters/ and `Chapter.main`.
import Foundation
import WorkbookKit

exit(Workbook.chapters[1].main(Array(CommandLine.arguments.dropFirst())))
