import WorkbookChecks
import WorkbookKit

/// Carries out `workbook`'s commands: the chapters (from WorkbookKit), the exercises and their
/// checks (from WorkbookChecks), and the reader's solutions (from Exercises).
struct Workbench {
    let chapters: [Chapter]
    let learner: Solutions
    let console: Console

    /// Runs `command` and returns the process's exit status: 0 when all is well, 1 when a check
    /// or the proof fails (or a chapter's run throws), 2 for a bad argument.
    func perform(_ command: Command) -> Int32 {
        switch command {
        case .list: return list()
        case .run(let chapter, let arguments): return run(chapter, arguments)
        case .check(let chapter): return check(chapter)
        case .hint(let id): return hint(id)
        case .prove: return prove()
        case .help:
            console.out(usage)
            return 0
        }
    }

    /// Reports a bad argument the same way as a command line that does not parse.
    func usageError(_ message: String) -> Int32 {
        console.err("workbook: \(message)")
        console.err("")
        console.err(usage)
        return 2
    }

    // MARK: - list

    /// The chapters with the reader's progress on each chapter's exercises.
    func list() -> Int32 {
        let exercises = ExerciseCatalog.all
        console.out("SwiftRaft Workbook: \(chapters.count) chapters, \(exercises.count) exercises")
        console.out("")
        var solvedTotal = 0
        var next: Int?
        let width = max(20, chapters.map(\.title.count).max() ?? 0)
        for chapter in chapters {
            let own = ExerciseCatalog.exercises(inChapter: chapter.number)
            let title = chapter.title.padding(to: width)
            guard !own.isEmpty else {
                console.out("  \(pad(chapter.number, 2))  \(title)    (no exercises)")
                continue
            }
            let solved = own.filter { $0.isSolved(by: learner) }.count
            solvedTotal += solved
            if solved < own.count && next == nil { next = chapter.number }
            let mark = solved == own.count ? "✓" : "✗"
            console.out("  \(pad(chapter.number, 2))  \(title)    \(mark) \(solved)/\(own.count)")
        }
        console.out("")
        if let next {
            console.out("Solved \(solvedTotal) of \(exercises.count) exercises. "
                + "Next: workbook check \(next)  (\(ExerciseCatalog.stubFile(chapter: next)))")
        } else {
            console.out("Solved all \(exercises.count) exercises.")
        }
        console.out("")
        console.out(usage)
        return 0
    }

    // MARK: - run

    /// Prints chapter `number`'s narration.
    func run(_ number: Int, _ arguments: [String]) -> Int32 {
        guard let chapter = chapters.first(where: { $0.number == number }) else {
            return usageError("there is no chapter \(number); chapters are numbered 1 to \(chapters.count)")
        }
        do {
            let text = try chapter.run(arguments)
            console.out(text.hasSuffix("\n") ? String(text.dropLast()) : text)
            return 0
        } catch {
            console.err("workbook run \(number): \(error)")
            return 1
        }
    }

    // MARK: - check

    /// Checks the reader's exercises of chapter `number`: a ✓/✗ line per check, the failure's
    /// explanation, and the hint of every exercise not yet solved.
    func check(_ number: Int) -> Int32 {
        let exercises = ExerciseCatalog.exercises(inChapter: number)
        guard !exercises.isEmpty else {
            let known = ExerciseCatalog.chapters.map(String.init).joined(separator: ", ")
            return usageError("chapter \(number) has no exercises; chapters with exercises: \(known)")
        }
        let title = chapters.first { $0.number == number }?.title ?? "Chapter \(number)"
        console.out("Chapter \(number): \(title)")
        console.out("Your code: \(ExerciseCatalog.stubFile(chapter: number))")
        var solved = 0
        for exercise in exercises {
            console.out("")
            console.out("\(exercise.id)  \(exercise.title)  (\(exercise.symbol))")
            console.out("     \(exercise.summary)")
            var failed = false
            for check in exercise.checks {
                let outcome = check.run(learner)
                console.out("  \(outcome.passed ? "✓" : "✗") \(check.name)")
                if !outcome.passed {
                    failed = true
                    for line in outcome.message.split(separator: "\n", omittingEmptySubsequences: false) {
                        console.out("      \(line)")
                    }
                }
            }
            if failed {
                console.out("  Hint:")
                for line in wrap(exercise.hint, width: 92) { console.out("    \(line)") }
            } else {
                solved += 1
            }
        }
        console.out("")
        if solved == exercises.count {
            console.out("Chapter \(number) solved: \(solved) of \(exercises.count) exercises pass every check.")
            return 0
        }
        console.out("\(solved) of \(exercises.count) exercises solved in chapter \(number). "
            + "Edit \(ExerciseCatalog.stubFile(chapter: number)) and run this again.")
        return 1
    }

    // MARK: - hint

    /// Prints one exercise's hint.
    func hint(_ id: ExerciseID) -> Int32 {
        guard let exercise = ExerciseCatalog.exercise(id) else {
            let ids = ExerciseCatalog.all.map(\.id.description).joined(separator: " ")
            return usageError("there is no exercise \(id); the exercises are \(ids)")
        }
        console.out("\(exercise.id)  \(exercise.title): \(exercise.summary)")
        console.out("In \(exercise.file): \(exercise.symbol)")
        console.out("")
        for line in wrap(exercise.hint, width: 96) { console.out(line) }
        return 0
    }

    // MARK: - prove

    /// The CI proof: every check fails on the untouched stubs and passes on the reference.
    func prove() -> Int32 {
        console.out("workbook prove: every check must fail on the stubs and pass on the reference")
        console.out("")
        var checks = 0
        var problems = 0
        for exercise in ExerciseCatalog.all {
            let proof = Proof.run(stubs: learner, exercises: [exercise])
            checks += proof.checkCount
            problems += proof.findings.count
            let mark = proof.holds ? "✓" : "✗"
            console.out("  \(mark) \(exercise.id.description.padding(to: 4)) \(exercise.title.padding(to: 36)) "
                + "\(proof.checkCount) checks")
            for finding in proof.findings {
                console.out("      \(finding.problem): \(finding.check)")
                for line in finding.message.split(separator: "\n", omittingEmptySubsequences: false) {
                    console.out("        \(line)")
                }
            }
        }
        console.out("")
        if problems == 0 {
            console.out("Proof holds: \(ExerciseCatalog.all.count) exercises, \(checks) checks, "
                + "each failing on the stubs and passing on the reference.")
            return 0
        }
        console.out("Proof fails: \(problems) problems in \(checks) checks (see the ✗ lines above).")
        return 1
    }
}

/// `n` right-aligned in `width` columns.
func pad(_ n: Int, _ width: Int) -> String {
    let text = String(n)
    return String(repeating: " ", count: max(0, width - text.count)) + text
}

extension String {
    /// The string left-aligned in `width` columns (never cut).
    func padding(to width: Int) -> String {
        self + String(repeating: " ", count: max(0, width - count))
    }
}

/// `text` broken into lines of at most `width` characters, at spaces.
func wrap(_ text: String, width: Int) -> [String] {
    var lines: [String] = []
    var line = ""
    for word in text.split(separator: " ") {
        if !line.isEmpty && line.count + 1 + word.count > width {
            lines.append(line)
            line = ""
        }
        line += line.isEmpty ? String(word) : " " + word
    }
    if !line.isEmpty { lines.append(line) }
    return lines
}
