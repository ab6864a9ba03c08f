import Foundation
import Testing
import WorkbookKit

/// The chapters' text keeps to its shape and names only code that exists.
@Suite struct ChapterTextTests {
    @Test(arguments: Workbook.chapters)
    func hasTheStandardSections(chapter: Chapter) throws {
        let text = try ChapterFiles.text(chapter)
        #expect(text.hasPrefix("# Chapter \(chapter.number). \(chapter.title)\n"))
        for section in ["## Code map", "## Run it", "## Exercises", "## Questions"] {
            #expect(text.contains("\n\(section)\n"), "\(chapter.path) lacks \(section)")
        }
        #expect(text.contains("swift run \(chapter.executable)"))
        #expect(text.contains("swift run workbook run \(chapter.number)"))
    }

    /// Every `Sources/...swift` or `Tests/...swift` path a chapter names exists.
    @Test(arguments: Workbook.chapters)
    func namedFilesExist(chapter: Chapter) throws {
        let text = try ChapterFiles.text(chapter)
        let pattern = try NSRegularExpression(pattern: #"(Sources|Tests)/[A-Za-z0-9_./+-]+\.(swift|txt)"#)
        let matches = pattern.matches(in: text, range: NSRange(text.startIndex..., in: text))
        for match in matches {
            guard let range = Range(match.range, in: text) else { continue }
            let path = String(text[range])
            let exists = FileManager.default.fileExists(atPath: ChapterFiles.packageRoot.appendingPathComponent(path).path)
            #expect(exists, "\(chapter.path) names \(path), which does not exist")
        }
    }
}
