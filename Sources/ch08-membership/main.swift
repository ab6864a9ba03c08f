// ch08-membership: prints chapter 8's scenario (--help lists the flags; --yours runs it on your code).
// See Chapters/ and `Chapter.main`.
import Foundation
import WorkbookKit

exit(Workbook.chapters[7].main(Array(CommandLine.arguments.dropFirst())))
