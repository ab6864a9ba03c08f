// ch06-log-replication: prints chapter 6's scenario (--help lists the flags; --yours runs it on your code).
// See Chapters/ and `Chapter.main`.
import Foundation
import WorkbookKit

exit(Workbook.chapters[5].main(Array(CommandLine.arguments.dropFirst())))
