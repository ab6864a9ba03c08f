import Raft
import Testing
import WorkbookChecks
import WorkbookKit
@testable import workbook

/// The `workbook` command line: argument parsing and what each command prints.
@Suite struct CommandLineTests {
    @Test func parsesEveryCommand() throws {
        #expect(try Command.parse([]) == .list)
        #expect(try Command.parse(["list"]) == .list)
        #expect(try Command.parse(["run", "4"]) == .run(chapter: 4, arguments: []))
        #expect(try Command.parse(["run", "4", "--mermaid"]) == .run(chapter: 4, arguments: ["--mermaid"]))
        #expect(try Command.parse(["check", "4"]) == .check(chapter: 4))
        #expect(try Command.parse(["hint", "4.2"]) == .hint(ExerciseID(4, 2)))
        #expect(try Command.parse(["prove"]) == .prove)
        for help in ["help", "-h", "--help"] { #expect(try Command.parse([help]) == .help) }
    }

    @Test("bad command lines are usage errors", arguments: [
        ["frob"], ["run"], ["run", "x"], ["run", "0"], ["check"], ["check", "-1"], ["check", "4", "5"],
        ["hint"], ["hint", "4"], ["hint", "4.2", "x"], ["prove", "now"], ["list", "all"],
    ])
    func rejects(_ arguments: [String]) {
        #expect(throws: UsageError.self) { try Command.parse(arguments) }
    }

    /// A workbench whose output is collected, with chapter 4 solved wrongly and everything else
    /// solved by the reference.
    func workbench(_ lines: Lines, learner: Solutions = Self.wrongChapter4) -> Workbench {
        Workbench(chapters: Workbook.chapters, learner: learner,
                  console: Console(out: { lines.out.append($0) }, err: { lines.err.append($0) }))
    }

    static let wrongChapter4: Solutions = {
        var solutions = Solutions.reference
        solutions.ch04 = AlwaysZero()
        return solutions
    }()

    @Test func listShowsProgressPerChapter() {
        let lines = Lines()
        #expect(workbench(lines).perform(.list) == 0)
        #expect(lines.out.contains { $0.contains("unstable, Storage and raftLog") && $0.contains("✗ 0/3") })
        #expect(lines.out.contains { $0.contains("Raft roles") && $0.contains("✓ 2/2") })
        #expect(lines.out.contains { $0.hasPrefix("Solved 16 of 19 exercises. Next: workbook check 4") })
    }

    @Test func checkPrintsFailuresAndHints() throws {
        let lines = Lines()
        #expect(workbench(lines).perform(.check(chapter: 4)) == 1)
        let conflict = try #require(ExerciseCatalog.exercise(ExerciseID(4, 2)))
        #expect(lines.out.contains("  ✗ the first entry with another term is the conflict"))
        #expect(lines.out.contains { $0.contains("returned 0, expected 3") })
        #expect(lines.out.filter { $0 == "  Hint:" }.count == 3)
        #expect(lines.out.contains { $0.hasPrefix("    " + conflict.hint.prefix(40)) })
        #expect(lines.out.last == "0 of 3 exercises solved in chapter 4. Edit Sources/Exercises/Ch04.swift and run this again.")
    }

    @Test func checkOfASolvedChapterPrintsOnlyTicks() {
        let lines = Lines()
        #expect(workbench(lines).perform(.check(chapter: 2)) == 0)
        #expect(!lines.out.contains { $0.hasPrefix("  ✗") })
        #expect(!lines.out.contains("  Hint:"))
        #expect(lines.out.last == "Chapter 2 solved: 2 of 2 exercises pass every check.")
    }

    @Test func badChapterAndExerciseNumbersExitWithStatus2() {
        let lines = Lines()
        let bench = workbench(lines)
        #expect(bench.perform(.check(chapter: 12)) == 2)
        #expect(bench.perform(.hint(ExerciseID(9, 9))) == 2)
        #expect(bench.perform(.run(chapter: 42, arguments: [])) == 2)
        #expect(lines.err.filter { $0.hasPrefix("workbook: ") }.count == 3)
        #expect(lines.out.isEmpty)
    }

    @Test func hintPrintsTheExercisesHint() throws {
        let lines = Lines()
        #expect(workbench(lines).perform(.hint(ExerciseID(6, 1))) == 0)
        #expect(lines.out.first?.hasPrefix("6.1  the majority's committed index") == true)
        let hint = try #require(ExerciseCatalog.exercise(ExerciseID(6, 1))).hint
        #expect(lines.out.dropFirst(3).joined(separator: " ") == wrap(hint, width: 96).joined(separator: " "))
    }

    @Test func runPrintsWhatTheChapterReturns() throws {
        let lines = Lines()
        let chapter = try #require(Workbook.chapters.first { $0.number == 1 })
        let text = try chapter.run(["--mermaid"])
        #expect(workbench(lines).perform(.run(chapter: 1, arguments: ["--mermaid"])) == 0)
        #expect(lines.out.joined(separator: "\n") + "\n" == (text.hasSuffix("\n") ? text : text + "\n"))
    }

    @Test func proveFailsWhenStubsPass() {
        let lines = Lines()
        #expect(workbench(lines, learner: .reference).perform(.prove) == 1)
        #expect(lines.out.last?.hasPrefix("Proof fails:") == true)
    }
}

/// Collected output lines.
final class Lines {
    var out: [String] = []
    var err: [String] = []
}

/// A wrong chapter 4: every answer is the neutral one.
struct AlwaysZero: Ch04Exercises {
    func truncateAndAppend(_ unstable: UnstableLog, _ entries: [EntryID]) -> UnstableLog? { unstable }
    func findConflict(log: LogTerms, entries: [EntryID]) -> UInt64 { 0 }
    func findConflictByTerm(log: LogTerms, index: UInt64, term: UInt64) -> EntryID { EntryID(term: 0, index: 0) }
}
