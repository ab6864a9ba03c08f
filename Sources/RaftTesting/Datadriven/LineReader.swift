/// Lines of a text as Go's `bufio.Scanner` yields them: split at `\n`, a trailing `\r` dropped,
/// no empty line after a final newline.
struct LineReader {
    private let lines: [String]
    private var nextIndex = 0
    /// The number of the line last returned (1-based).
    private(set) var lineNumber = 0

    init(_ text: String) {
        lines = LineReader.split(text).map { line in
            line.utf8.last == 0x0D ? String(decoding: line.utf8.dropLast(), as: UTF8.self) : line
        }
    }

    /// The lines of `text` without their `\n` (split on bytes: Swift treats `\r\n` as one
    /// character); no empty line after a final newline.
    static func split(_ text: String) -> [String] {
        var lines = text.utf8.split(separator: 0x0A, omittingEmptySubsequences: false)
            .map { String(decoding: $0, as: UTF8.self) }
        if text.utf8.last == 0x0A || text.isEmpty { lines.removeLast() }
        return lines
    }

    mutating func next() -> String? {
        guard nextIndex < lines.count else { return nil }
        defer { nextIndex += 1 }
        lineNumber = nextIndex + 1
        return lines[nextIndex]
    }
}
