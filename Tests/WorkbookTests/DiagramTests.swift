import Foundation
import Testing
import WorkbookKit

/// Every chapter embeds the diagram its program draws (`swift run chNN-slug --mermaid`); this fails
/// when the program's run changed and the chapter was not updated.
///
/// To update the chapters after a deliberate change, run the tests with
/// `WORKBOOK_REWRITE_DIAGRAMS=1 swift test --filter DiagramTests`, then read the diff.
@Suite struct DiagramTests {
    @Test(arguments: Workbook.chapters)
    func embeddedDiagramMatchesTheProgram(chapter: Chapter) throws {
        let text = try ChapterFiles.text(chapter)
        let embedded = try #require(ChapterFiles.embeddedDiagram(text),
                                    "\(chapter.path) has no Mermaid block between the diagram markers")
        let generated = try chapter.run(["--mermaid"])
        if embedded != generated, ProcessInfo.processInfo.environment["WORKBOOK_REWRITE_DIAGRAMS"] == "1" {
            let updated = try #require(ChapterFiles.replacingDiagram(in: text, with: generated))
            try updated.write(to: ChapterFiles.url(chapter), atomically: true, encoding: .utf8)
            return
        }
        #expect(embedded == generated,
                "\(chapter.path): the diagram differs from `swift run \(chapter.executable) --mermaid`")
    }

    @Test func extractsTheBlockBetweenTheMarkers() {
        let text = "intro\n<!-- diagram:begin -->\n```mermaid\nsequenceDiagram\n    A->>B: hi\n```\n<!-- diagram:end -->\nafter\n"
        #expect(ChapterFiles.embeddedDiagram(text) == "sequenceDiagram\n    A->>B: hi\n")
        #expect(ChapterFiles.embeddedDiagram("no markers") == nil)
        #expect(ChapterFiles.replacingDiagram(in: text, with: "sequenceDiagram\n")
            == "intro\n<!-- diagram:begin -->\n```mermaid\nsequenceDiagram\n```\n<!-- diagram:end -->\nafter\n")
    }
}
