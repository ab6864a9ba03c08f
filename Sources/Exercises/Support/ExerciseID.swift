/// An exercise's number, `chapter.exercise`: `4.1` is the first exercise of chapter 4.
public struct ExerciseID: Hashable, Comparable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
    public let chapter: Int
    public let number: Int

    public init(chapter: Int, number: Int) {
        self.chapter = chapter
        self.number = number
    }

    /// Parses `"4.1"`; nil for anything else.
    public init?(parsing text: some StringProtocol) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let c = Int(parts[0]), let n = Int(parts[1]), c > 0, n > 0 else { return nil }
        self.init(chapter: c, number: n)
    }

    /// For literals in the workbook's own code; a malformed literal is a bug there.
    public init(stringLiteral value: String) {
        guard let id = ExerciseID(parsing: value) else { preconditionFailure("not an exercise number: \(value)") }
        self = id
    }

    /// A small integer naming the exercise (`chapter * 100 + number`), for the crash report.
    public var code: Int { chapter * 100 + number }

    public var description: String { "\(chapter).\(number)" }

    public static func < (a: ExerciseID, b: ExerciseID) -> Bool {
        (a.chapter, a.number) < (b.chapter, b.number)
    }
}
