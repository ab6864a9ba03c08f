// ch01-node-interface: prints chapter 1's scenario (--help lists the flags; --yours runs it on your code).
// See Chapters/ and `Chapter.main`.
import Foundation
import WorkbookKit

exit(Workbook.chapters[0].main(Array(CommandLine.arguments.dropFirst())))
