// ch09-leader-transfer: prints chapter 9's scenario (--help lists the flags; --yours runs it on your code).
// See Chapters/ and `Chapter.main`.
import Foundation
import WorkbookKit

exit(Workbook.chapters[8].main(Array(CommandLine.arguments.dropFirst())))
