import ExerciseSupport
import Foundation
import Testing
import WorkbookKit
@testable import workbook

/// The `workbook` command line: argument parsing, and the commands that need no build.
@Suite struct CommandLineTests {
    @Test func parsesEveryCommand() throws {
        #expect(try Command.parse([]) == .list)
        #expect(try Command.parse(["list"]) == .list)
        #expect(try Command.parse(["run", "4"]) == .run(chapter: 4, arguments: []))
        #expect(try Command.parse(["run", "4", "--yours", "--seed", "2"]) == .run(chapter: 4, arguments: ["--yours", "--seed", "2"]))
        #expect(try Command.parse(["check", "4"]) == .check(.chapter(4), CheckOptions()))
        #expect(try Command.parse(["check", "4.2"]) == .check(.exercise("4.2"), CheckOptions()))
        #expect(try Command.parse(["check", "all", "--seeds", "5-9", "--steps", "30", "--verbose"])
            == .check(.all, CheckOptions(seeds: 5...9, steps: 30, verbose: true)))
        #expect(try Command.parse(["check", "3", "--seed", "17"]) == .check(.chapter(3), CheckOptions(seeds: 17...17)))
        #expect(try Command.parse(["hint", "4.2"]) == .hint("4.2", step: nil))
        #expect(try Command.parse(["hint", "4.2", "3"]) == .hint("4.2", step: 3))
        #expect(try Command.parse(["answer", "5.3"]) == .answer(chapter: 5, question: 3))
        #expect(try Command.parse(["watch"]) == .watch)
        #expect(try Command.parse(["prove"]) == .prove)
        for help in ["help", "-h", "--help"] { #expect(try Command.parse([help]) == .help) }
    }

    @Test("bad command lines are usage errors", arguments: [
        ["frob"], ["run"], ["run", "x"], ["run", "0"], ["check"], ["check", "-1"], ["check", "4", "5"],
        ["check", "4", "--seeds", "9-2"], ["check", "4", "--steps", "0"], ["hint"], ["hint", "4"],
        ["hint", "4.2", "x"], ["answer", "5"], ["prove", "now"], ["list", "all"], ["watch", "4"],
    ])
    func rejects(_ arguments: [String]) {
        #expect(throws: UsageError.self) { try Command.parse(arguments) }
    }

    func workbench(_ lines: Lines, root: String? = ChapterFiles.packageRoot.path) -> Workbench {
        Workbench(chapters: Workbook.chapters,
                  console: Console(out: { lines.out.append($0) }, err: { lines.err.append($0) }), root: root)
    }

    @Test func runPrintsWhatTheChapterReturns() throws {
        let lines = Lines()
        let chapter = try #require(Workbook.chapters.first { $0.number == 1 })
        let text = try chapter.run(["--mermaid"])
        #expect(workbench(lines).perform(.run(chapter: 1, arguments: ["--mermaid"])) == 0)
        #expect(lines.out.joined(separator: "\n") + "\n" == (text.hasSuffix("\n") ? text : text + "\n"))
    }

    @Test func chapterTenIsAService() {
        let lines = Lines()
        #expect(workbench(lines).perform(.run(chapter: 10, arguments: [])) == 0)
        #expect(lines.out == ["Chapter 10 runs as a service: swift run raftkv --demo"])
    }

    @Test func badNumbersExitWithStatus2() {
        let lines = Lines()
        let bench = workbench(lines)
        #expect(bench.perform(.check(.chapter(12), CheckOptions())) == 2)
        #expect(bench.perform(.check(.exercise("9.9"), CheckOptions())) == 2)
        #expect(bench.perform(.hint("9.9", step: nil)) == 2)
        #expect(bench.perform(.run(chapter: 42, arguments: [])) == 2)
        #expect(bench.perform(.answer(chapter: 4, question: 99)) == 2)
        #expect(lines.err.filter { $0.hasPrefix("workbook: ") }.count == 5)
    }

    @Test func outsideThePackageItSaysSo() {
        let lines = Lines()
        #expect(workbench(lines, root: nil).perform(.check(.chapter(4), CheckOptions())) == 2)
        #expect(lines.err.first?.contains("run me from the package") == true)
    }

    @Test func yoursNeedsTheWorkbook() throws {
        let chapter = try #require(Workbook.chapters.first { $0.number == 4 })
        #expect(throws: WorkbookError.self) { try chapter.run(["--yours"]) }
    }
}

/// Collected output lines.
final class Lines: @unchecked Sendable {
    var out: [String] = []
    var err: [String] = []
}
