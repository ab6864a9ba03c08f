import Testing
import WorkbookKit

/// The catalog is the contract with the `workbook` command: nine chapters, numbered in order, each
/// naming its file and its executable consistently.
@Suite struct CatalogTests {
    @Test func nineChaptersInOrder() {
        #expect(Workbook.chapters.map(\.number) == Array(1...9))
    }

    @Test(arguments: Workbook.chapters)
    func namesAgree(chapter: Chapter) {
        let prefix = chapter.number < 10 ? "0\(chapter.number)-" : "\(chapter.number)-"
        #expect(chapter.slug.hasPrefix(prefix))
        #expect(chapter.executable == "ch" + chapter.slug)
        #expect(!chapter.title.isEmpty)
    }
}
