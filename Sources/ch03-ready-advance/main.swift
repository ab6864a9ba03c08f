// ch03-ready-advance: prints chapter 3's scenario (--help lists the flags; --yours runs it on your code).
// See Chapters/ and `Chapter.main`.
import Foundation
import WorkbookKit

exit(Workbook.chapters[2].main(Array(CommandLine.arguments.dropFirst())))
