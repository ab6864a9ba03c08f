import Foundation
import Testing
@testable import WorkbookChecks

/// The exercises' checks run against the reference (the real library): every one must pass, which
/// proves the hand-written tables right. (That every check fails on the untouched stubs is CI's
/// `swift run workbook prove`: a learner who solved exercises must still see `swift test` pass.)
@Suite struct ExerciseTests {
    @Test("every check passes against the reference", arguments: ExerciseCatalog.all.map(\.id))
    func referencePassesEveryCheck(_ id: ExerciseID) throws {
        let exercise = try #require(ExerciseCatalog.exercise(id))
        for (check, outcome) in exercise.run(.reference) {
            #expect(outcome.passed, "\(id) \(check.name): \(outcome.message)")
        }
    }

    @Test func everyChapterHasAtLeastTwoExercises() {
        #expect(ExerciseCatalog.chapters == Array(1...9))
        for chapter in 1...9 {
            let exercises = ExerciseCatalog.exercises(inChapter: chapter)
            #expect(exercises.count >= 2, "chapter \(chapter)")
            // Numbered 1, 2, 3... within the chapter, in order.
            #expect(exercises.map(\.id.number) == Array(1...exercises.count), "chapter \(chapter)")
        }
    }

    @Test("every exercise has a title, summary, symbol, hint and several named checks",
          arguments: ExerciseCatalog.all.map(\.id))
    func exerciseIsComplete(_ id: ExerciseID) throws {
        let exercise = try #require(ExerciseCatalog.exercise(id))
        #expect(!exercise.title.isEmpty && !exercise.summary.isEmpty && !exercise.symbol.isEmpty)
        #expect(exercise.hint.count > 100, "a hint should say something")
        #expect(exercise.checks.count >= 3)
        #expect(Set(exercise.checks.map(\.name)).count == exercise.checks.count, "check names are unique")
    }

    /// The stub the learner edits carries a TODO for each requirement and the same hint as the
    /// CLI, so that reading the file and running `workbook hint` agree.
    @Test("the stub file carries the TODOs and the hint", arguments: ExerciseCatalog.all.map(\.id))
    func stubCarriesTodoAndHint(_ id: ExerciseID) throws {
        let exercise = try #require(ExerciseCatalog.exercise(id))
        let url = packageRoot.appendingPathComponent(exercise.file)
        let source = try String(contentsOf: url, encoding: .utf8)
        let tag = "TODO(ch" + (id.chapter < 10 ? "0" : "") + "\(id.chapter)):"
        #expect(source.contains(tag), "\(exercise.file) has no \(tag)")
        #expect(source.contains("workbook hint \(id)"), "\(exercise.file) does not point to `workbook hint \(id)`")
        #expect(normalized(source).contains(normalized(exercise.hint)),
                "the hint in \(exercise.file) differs from the catalog's hint for \(id)")
    }

    /// The package root, three levels above this file.
    let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Text with comment markers removed and whitespace collapsed, to compare a hint wrapped in
    /// `///` lines with the catalog's.
    func normalized(_ text: String) -> String {
        text.replacingOccurrences(of: "///", with: " ")
            .replacingOccurrences(of: "//", with: " ")
            .split(whereSeparator: { $0 == " " || $0 == "\n" })
            .joined(separator: " ")
    }
}
