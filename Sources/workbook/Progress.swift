import Foundation

/// What the learner has done, kept between runs in `.workbook/progress.json` at the package root
/// (ignored by git). Written whole to a temporary file and renamed over the old one, so that a
/// crash (of the workbook or of the learner's code) never leaves it half written.
struct Progress: Codable, Equatable {
    /// Exercises whose checks all passed at their last check, by id (`"4.1"`).
    var passed: Set<String> = []
    /// Exercises whose last check failed or crashed.
    var failing: Set<String> = []
    /// Chapters whose transcripts and seeds all passed at their last full check.
    var chaptersJudged: Set<Int> = []
    /// How many hints of each exercise were shown.
    var hintsShown: [String: Int] = [:]

    static func path(root: String) -> String { root + "/.workbook/progress.json" }

    /// The record at `root`, or an empty one (a missing or unreadable file is a fresh start; an
    /// unreadable one is kept aside as `progress.json.unreadable` rather than lost).
    static func load(root: String) -> Progress {
        let p = path(root: root)
        guard let data = FileManager.default.contents(atPath: p) else { return Progress() }
        if let progress = try? JSONDecoder().decode(Progress.self, from: data) { return progress }
        try? FileManager.default.moveItem(atPath: p, toPath: p + ".unreadable")
        return Progress()
    }

    func save(root: String) throws {
        let dir = root + "/.workbook"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(self).write(to: URL(fileURLWithPath: Progress.path(root: root)), options: .atomic)
    }

    mutating func record(_ id: String, passed ok: Bool) {
        if ok {
            passed.insert(id)
            failing.remove(id)
        } else {
            failing.insert(id)
            passed.remove(id)
        }
    }
}
