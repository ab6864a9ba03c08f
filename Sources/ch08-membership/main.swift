// ch08-membership: prints chapter 8's scenario (with --mermaid, its sequence diagram). See Chapters/.
import Foundation
import WorkbookKit

let chapter = Workbook.chapters[7]
do {
    print(try chapter.run(Array(CommandLine.arguments.dropFirst())), terminator: "")
} catch {
    FileHandle.standardError.write(Data("\(chapter.executable): \(error)\n".utf8))
    exit(1)
}
