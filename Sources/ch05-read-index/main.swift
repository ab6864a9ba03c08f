// ch05-read-index: prints chapter 5's scenario (--help lists the flags; --yours runs it on your code).
// See Chapters/ and `Chapter.main`.
import Foundation
import WorkbookKit

exit(Workbook.chapters[4].main(Array(CommandLine.arguments.dropFirst())))
