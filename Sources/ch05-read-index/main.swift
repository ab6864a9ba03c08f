// ch05-read-index: prints chapter 5's scenario (with --mermaid, its sequence diagram). See Chapters/.
import Foundation
import WorkbookKit

let chapter = Workbook.chapters[4]
do {
    print(try chapter.run(Array(CommandLine.arguments.dropFirst())), terminator: "")
} catch {
    FileHandle.standardError.write(Data("\(chapter.executable): \(error)\n".utf8))
    exit(1)
}
