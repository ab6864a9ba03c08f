import ExerciseChecks
import ExerciseSupport
import Foundation
import Raft
import Testing
import WorkbookKit
@testable import workbook

/// The exercises' machinery, without building the learner's code: every exercise has its stub,
/// reference, two recorded wrong solutions and hints; the parsers; the progress record; and the
/// judges themselves, run in-process on parts written here.
@Suite struct ExerciseMachineryTests {
    static let root = ChapterFiles.packageRoot.path

    static func text(_ relative: String) throws -> String {
        try String(contentsOfFile: root + "/" + relative, encoding: .utf8)
    }

    @Test(arguments: Catalog.exercises.map(\.id))
    func everyExerciseHasItsFiles(id: ExerciseID) throws {
        let exercise = try #require(Catalog.exercise(id))
        let folder = ChapterExercises.folder(id.chapter)
        // The learner's own file (YourCode) is theirs: `swift test` passes whatever state it is in.
        // That the stubs fail every exercise is `workbook prove`'s business, on a fresh clone.
        let reference = try Self.text("\(folder)/Proof/Reference/\(exercise.file)")
        #expect(!Workshop.callsTodo(reference))
        #expect(reference.contains("func \(exercise.name)("), "the reference declares func \(exercise.name)")
        for wrong in ["Wrong1", "Wrong2"] {
            let text = try Self.text("\(folder)/Proof/\(wrong)/\(exercise.file)")
            let recorded = try #require(Prover.wrongSolution(text), "\(wrong) records what is wrong and what catches it")
            #expect(exercise.checks.contains { $0.name == recorded.caughtBy },
                    "\(id) \(wrong) names a check that does not exist: \(recorded.caughtBy)")
        }
        let plug = try Self.text("\(folder)/Plug.swift")
        #expect(plug.contains("\"\(id)\""), "Plug.swift plugs \(id) in")
        let hints = Hints(markdown: try Self.text("\(folder)/Hints.md"))
        #expect((hints.steps[id.description]?.count ?? 0) >= 3, "\(id) has hints in at least three steps")
        #expect(exercise.checks.count >= 3, "\(id) has at least three checks")
        #expect(Set(exercise.checks.map(\.name)).count == exercise.checks.count, "\(id)'s checks have distinct names")
    }

    @Test func exercisesAreNumberedInOrder() {
        for chapter in Catalog.chapters {
            #expect(chapter.exercises.map(\.id.number) == Array(1...max(1, chapter.exercises.count)).prefix(chapter.exercises.count).map { $0 })
            #expect(chapter.exercises.allSatisfy { $0.id.chapter == chapter.chapter })
        }
    }

    @Test(arguments: Workbook.chapters)
    func everyQuestionHasAnAnswer(chapter: Chapter) throws {
        let questions = Questions(markdown: try ChapterFiles.text(chapter)).items
        #expect(!questions.isEmpty)
        for (k, q) in questions.enumerated() {
            #expect(q.answer?.isEmpty == false, "\(chapter) question \(k + 1) has no collapsed answer")
        }
    }

    @Test func hintsParseInSteps() {
        let hints = Hints(markdown: "# x\n\n## 4.1 name\n\n### 1\n\nfirst\n\n### 2\nsecond\nmore\n\n## 4.2 other\n### 1\nonly\n")
        #expect(hints.steps["4.1"] == ["first", "second\nmore"])
        #expect(hints.steps["4.2"] == ["only"])
    }

    @Test func questionsParseWithTheirAnswers() {
        let q = Questions(markdown: """
            ## Questions

            1. Why?
               Really?

            <details><summary>Answer</summary>

            Because.

            </details>

            2. And this?

            ## Next
            """)
        #expect(q.items.count == 2)
        #expect(q.items[0].text == "1. Why?\nReally?")
        #expect(q.items[0].answer == "Because.")
        #expect(q.items[1].answer == nil)
    }

    @Test func writtenMeansNoTodoCall() {
        #expect(Workshop.callsTodo("func f() {\n    todo()\n}"))
        #expect(!Workshop.callsTodo("func f() {\n    // todo() was here\n    return\n}"))
        #expect(!Workshop.callsTodo("/// Delete the todo() call.\nfunc f() {}"))
    }

    @Test func progressSurvivesAndAGarbledFileIsKeptAside() throws {
        let dir = NSTemporaryDirectory() + "workbook-progress-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var p = Progress()
        p.record("4.1", passed: true)
        p.record("4.2", passed: false)
        p.hintsShown["4.2"] = 2
        try p.save(root: dir)
        #expect(Progress.load(root: dir) == p)
        try Data("{ not json".utf8).write(to: URL(fileURLWithPath: Progress.path(root: dir)))
        #expect(Progress.load(root: dir) == Progress())
        #expect(FileManager.default.fileExists(atPath: Progress.path(root: dir) + ".unreadable"))
    }

    // MARK: - The judges, on parts written here

    /// A judge whose plug function hands out `parts` for any exercise.
    func judge(_ parts: Parts, _ said: Lines) -> Judge {
        Judge(plug: { _ in parts }, yours: [], say: { said.out.append($0) }, reportPath: nil)
    }

    @Test func aWrongPartFailsANamedCheck() throws {
        var parts = Parts()
        parts.findConflict = { _, _ in 0 }
        let said = Lines()
        let exercise = try #require(Catalog.exercise("4.2"))
        #expect(!judge(parts, said).checks(of: exercise))
        #expect(said.out.contains("  ✗ entries past the end of the log are new: the first of them is the answer"))
        #expect(said.out.contains { $0.contains("gave 0, expected") })
    }

    @Test func theLibrarysOwnCodeThroughTheSeamPassesEveryCheck() throws {
        var parts = Parts()
        parts.findConflict = { log, entries in log.findConflict(entries) }
        let said = Lines()
        #expect(judge(parts, said).checks(of: try #require(Catalog.exercise("4.2"))))
    }

    @Test func aTranscriptFailureNamesTheFileAndTheFirstDifferingLine() throws {
        var parts = Parts()
        parts.mustSync = { _, _, _ in true }
        let file = Self.root + "/Tests/ConformanceScenarios/interaction/read_index_single_voter.txt"
        let verdict = TranscriptJudge(files: [file], parts: parts).judge(file)
        #expect(!verdict.passed)
        #expect(verdict.report.contains("read_index_single_voter.txt:"))
        #expect(verdict.report.contains("expected:   Ready MustSync=false:"))
        #expect(verdict.report.contains("yours:      Ready MustSync=true:"))
        #expect(TranscriptJudge(files: [file], parts: Parts()).judge(file).passed)
    }

    @Test func aVoteForEveryoneBreaksSafetyInTheSimulator() {
        var parts = Parts()
        parts.grantsVote = { _, _ in true }
        let sim = SimulationJudge(parts: parts, steps: 400)
        let broken = (UInt64(1)...20).compactMap { sim.judge(seed: $0) }
        #expect(!broken.isEmpty, "granting every vote must let two leaders win one term somewhere in 20 seeds")
        #expect(broken.contains { $0.violation.contains("leader") })
        #expect(SimulationJudge(parts: Parts(), steps: 400).judge(seed: 1) == nil)
    }
}
