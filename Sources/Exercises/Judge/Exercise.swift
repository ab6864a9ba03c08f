import ExerciseSupport
import Raft

/// One exercise: a piece of raft the learner writes in place of the library's own.
package struct Exercise: Sendable {
    package let id: ExerciseID
    /// The function the learner writes, as the stub declares it: `truncateAndAppend`.
    package let name: String
    /// The library function it stands in for, where the reader finds the reference: e.g.
    /// `Unstable.truncateAndAppend (Sources/Raft/Log/Unstable.swift)`.
    package let replaces: String
    /// The stub's file name in the chapter's `YourCode/` folder: `TruncateAndAppend.swift`.
    package let file: String
    /// What the exercise asks, in one line.
    package let summary: String
    /// The checks, run with this exercise's part (and no other) plugged in.
    package let checks: [Check]

    package init(_ id: ExerciseID, _ name: String, replaces: String, file: String, summary: String, checks: [Check]) {
        self.id = id
        self.name = name
        self.replaces = replaces
        self.file = file
        self.summary = summary
        self.checks = checks
    }

    /// The stub's path from the package root.
    package var path: String { "\(ChapterExercises.folder(id.chapter))/YourCode/\(file)" }
}

/// A chapter's exercises and what else judges them.
package struct ChapterExercises: Sendable {
    package let chapter: Int
    package let exercises: [Exercise]

    package init(chapter: Int, exercises: [Exercise]) {
        self.chapter = chapter
        self.exercises = exercises
    }

    /// The chapter's folder from the package root: `Sources/Exercises/Ch04`.
    package static func folder(_ chapter: Int) -> String {
        "Sources/Exercises/Ch" + (chapter < 10 ? "0" : "") + "\(chapter)"
    }

    package var folder: String { Self.folder(chapter) }
}

/// Every chapter's exercises, in reading order.
package enum Catalog {
    package static let chapters: [ChapterExercises] = [ch01, ch02, ch03, ch04, ch05, ch06, ch07, ch08, ch09]

    /// All exercises, in order.
    package static var exercises: [Exercise] { chapters.flatMap(\.exercises) }

    package static func chapter(_ n: Int) -> ChapterExercises? { chapters.first { $0.chapter == n } }

    package static func exercise(_ id: ExerciseID) -> Exercise? { exercises.first { $0.id == id } }
}
