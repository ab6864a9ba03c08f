/// Every exercise of the workbook, by chapter.
public enum ExerciseCatalog {
    /// All exercises in order: chapter by chapter, then by number.
    public static let all: [Exercise] =
        Ch01Checks.exercises + Ch02Checks.exercises + Ch03Checks.exercises
        + Ch04Checks.exercises + Ch05Checks.exercises + Ch06Checks.exercises
        + Ch07Checks.exercises + Ch08Checks.exercises + Ch09Checks.exercises

    /// The chapters that have exercises, ascending.
    public static var chapters: [Int] {
        var seen: [Int] = []
        for exercise in all where seen.last != exercise.id.chapter { seen.append(exercise.id.chapter) }
        return seen
    }

    /// Chapter `chapter`'s exercises (empty when it has none).
    public static func exercises(inChapter chapter: Int) -> [Exercise] {
        all.filter { $0.id.chapter == chapter }
    }

    /// The exercise with this id, if there is one.
    public static func exercise(_ id: ExerciseID) -> Exercise? {
        all.first { $0.id == id }
    }

    /// Where the learner solves chapter `chapter`'s exercises, relative to the package root.
    public static func stubFile(chapter: Int) -> String {
        let number = chapter < 10 ? "0\(chapter)" : "\(chapter)"
        return "Sources/Exercises/Ch\(number).swift"
    }
}
