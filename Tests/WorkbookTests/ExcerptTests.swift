import Foundation
import Testing

/// The code shown in the chapters is our code: every excerpt still matches the file it names.
@Suite struct ExcerptTests {
    /// Every chapter file, `Chapters/NN-*.md`, in order.
    static let chapterPaths: [String] = {
        let folder = ChapterFiles.packageRoot.appendingPathComponent("Chapters")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".md") }.sorted().map { "Chapters/\($0)" }
    }()

    static func read(_ path: String) -> String? {
        try? String(contentsOf: ChapterFiles.packageRoot.appendingPathComponent(path), encoding: .utf8)
    }

    @Test func thereAreTenChapters() {
        #expect(Self.chapterPaths.count == 10, "\(Self.chapterPaths)")
    }

    /// Each ```swift block carries a marker, names a file that declares its symbol, and its lines
    /// appear in that file, in order, between the elisions.
    @Test(arguments: ExcerptTests.chapterPaths)
    func excerptsMatchTheSources(chapter: String) throws {
        let text = try #require(Self.read(chapter))
        for problem in Excerpts.problems(chapter: chapter, text: text, source: Self.read) {
            Issue.record("\(problem)")
        }
    }

    /// Every chapter shows some of the code it explains.
    @Test(arguments: ExcerptTests.chapterPaths)
    func everyChapterQuotesItsCode(chapter: String) throws {
        let text = try #require(Self.read(chapter))
        let markers = Excerpts.swiftBlocks(in: text).blocks.compactMap { $0.lines.first.flatMap { Excerpts.marker($0.text) } }
        #expect(!markers.isEmpty, "\(chapter) quotes no source")
    }

    // MARK: - The check itself

    static let source = """
        struct Log {
            func append(_ x: Int) {
                guard x > 0 else { return }
                let y = x + 1
                store(y)
                log(y)
            }
        }
        """

    static func problems(_ markdown: String) -> [String] {
        Excerpts.problems(chapter: "Chapters/test.md", text: markdown) { path in
            path == "Sources/Log.swift" ? source : nil
        }
    }

    @Test func aFaithfulExcerptWithElisionsPasses() {
        let markdown = """
            Some prose.

            ```swift
            // Sources/Log.swift: Log.append
                func append(_ x: Int) {
                    // ...
                    let y = x + 1
                    // ...
                    log(y)   \("")
                }
            ```
            """
        #expect(Self.problems(markdown) == [])
    }

    @Test func aChangedLineIsReportedWithItsChapterLine() {
        let markdown = """
            ```swift
            // Sources/Log.swift: Log.append
                func append(_ x: Int) {
                    let y = x + 2
                    store(y)
                }
            ```
            """
        let problems = Self.problems(markdown)
        #expect(problems.count == 1)
        let problem = problems.first ?? ""
        #expect(problem.hasPrefix("Chapters/test.md:1: the excerpt of Sources/Log.swift (Log.append)"), "\(problem)")
        #expect(problem.contains("chapter line 4, `        let y = x + 2`"), "\(problem)")
    }

    @Test func linesMustBeConsecutiveBetweenElisions() {
        let markdown = """
            ```swift
            // Sources/Log.swift: Log.append
                func append(_ x: Int) {
                    let y = x + 1
                }
            ```
            """
        let problem = Self.problems(markdown).first ?? ""
        #expect(problem.contains("chapter line 4, `        let y = x + 1`, does not follow `func append(_ x: Int) {`"), "\(problem)")
    }

    @Test func runsMustKeepTheSourceOrder() {
        let markdown = """
            ```swift
            // Sources/Log.swift: Log.append
                    log(y)
                    // ...
                    store(y)
            ```
            """
        let problem = Self.problems(markdown).first ?? ""
        #expect(problem.contains("chapter line 5, `        store(y)`, is not in the file after its line 6"), "\(problem)")
    }

    @Test func indentationCounts() {
        let markdown = """
            ```swift
            // Sources/Log.swift: Log.append
            func append(_ x: Int) {
            ```
            """
        #expect(Self.problems(markdown).count == 1)
    }

    @Test func aBlockWithoutAMarkerFailsUnlessIllustrative() {
        let unmarked = """
            ```swift
            let x = 1
            ```
            """
        let problem = Self.problems(unmarked).first ?? ""
        #expect(problem.hasPrefix("Chapters/test.md:1: a ```swift block must start with a marker"), "\(problem)")
        let illustrative = """
            ```swift
            // not from the sources
            let x = 1
            ```
            """
        #expect(Self.problems(illustrative) == [])
    }

    @Test func theSymbolMustBeDeclaredInTheFile() {
        let markdown = """
            ```swift
            // Sources/Log.swift: Log.store
                    store(y)
            ```
            """
        let problem = Self.problems(markdown).first ?? ""
        #expect(problem.contains("Sources/Log.swift declares no `store`"), "\(problem)")
        let missing = """
            ```swift
            // Sources/Nowhere.swift: Log.append
                func append(_ x: Int) {
            ```
            """
        #expect((Self.problems(missing).first ?? "").contains("no such file"))
    }

    @Test func otherCodeBlocksAreNotExcerpts() {
        let markdown = """
            ```
            snapshot | first | last
            ```

                swift run workbook

            ```mermaid
            graph TD
            ```
            """
        #expect(Self.problems(markdown) == [])
    }
}
