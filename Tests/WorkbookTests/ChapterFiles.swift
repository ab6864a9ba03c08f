import Foundation
import WorkbookKit

/// The chapters' Markdown files, found from this source file's location (the tests do not depend
/// on the working directory).
enum ChapterFiles {
    /// The package root: two folders above `Tests/WorkbookTests/`.
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .deletingLastPathComponent()
        .deletingLastPathComponent()

    static func url(_ chapter: Chapter) -> URL { packageRoot.appendingPathComponent(chapter.path) }

    static func text(_ chapter: Chapter) throws -> String {
        try String(contentsOf: url(chapter), encoding: .utf8)
    }

    static let begin = "<!-- diagram:begin -->\n```mermaid\n"
    static let end = "```\n<!-- diagram:end -->"

    /// The Mermaid source embedded between the diagram markers, or nil when the markers are missing.
    static func embeddedDiagram(_ text: String) -> String? {
        guard let start = text.range(of: begin), let stop = text.range(of: end, range: start.upperBound..<text.endIndex)
        else { return nil }
        return String(text[start.upperBound..<stop.lowerBound])
    }

    /// `text` with the embedded diagram replaced by `diagram`.
    static func replacingDiagram(in text: String, with diagram: String) -> String? {
        guard let start = text.range(of: begin), let stop = text.range(of: end, range: start.upperBound..<text.endIndex)
        else { return nil }
        return text.replacingCharacters(in: start.upperBound..<stop.lowerBound, with: diagram)
    }
}
