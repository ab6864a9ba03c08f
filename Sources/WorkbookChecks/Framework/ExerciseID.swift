/// An exercise's number, `chapter.number` as the chapters print it: `4.2`.
public struct ExerciseID: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let chapter: Int
    public let number: Int

    public init(_ chapter: Int, _ number: Int) {
        self.chapter = chapter
        self.number = number
    }

    /// Parses `"4.2"`; nil for anything else (`"4"`, `"4.x"`, `"4.2.1"`).
    public init?(parsing text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let chapter = Int(parts[0]), let number = Int(parts[1]),
              chapter > 0, number > 0 else { return nil }
        self.init(chapter, number)
    }

    public var description: String { "\(chapter).\(number)" }

    public static func < (a: ExerciseID, b: ExerciseID) -> Bool {
        (a.chapter, a.number) < (b.chapter, b.number)
    }
}
