// ch04-unstable-storage: prints chapter 4's scenario (--help lists the flags; --yours runs it on your code).
// See Chapters/ and `Chapter.main`.
import Foundation
import WorkbookKit

exit(Workbook.chapters[3].main(Array(CommandLine.arguments.dropFirst())))
