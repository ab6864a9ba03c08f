// ch07-snapshots: prints chapter 7's scenario (--help lists the flags; --yours runs it on your code).
// See Chapters/ and `Chapter.main`.
import Foundation
import WorkbookKit

exit(Workbook.chapters[6].main(Array(CommandLine.arguments.dropFirst())))
