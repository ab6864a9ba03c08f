import ExerciseChecks
import ExerciseSupport
import Foundation

/// `workbook prove`: shows, for every exercise, that its checks bite. The stub fails (it stops at
/// `todo()`), the reference (the library's own code, plugged through the seam) passes every
/// check and every transcript, and each of the two recorded wrong solutions fails, on the check
/// its file names (`// Caught by: ...`).
struct Prover {
    let workshop: Workshop
    let console: Console

    /// A recorded wrong solution: what is wrong and the check that must catch it.
    struct WrongSolution {
        var what: String
        var caughtBy: String
    }

    /// The `// Wrong:` and `// Caught by:` lines of a wrong solution's file.
    static func wrongSolution(_ text: String) -> WrongSolution? {
        var what: String?, caught: String?
        for line in text.split(separator: "\n") {
            let t = line.trimmingCharacters(in: .whitespaces)
            if t.hasPrefix("// Wrong:") { what = String(t.dropFirst("// Wrong:".count)).trimmingCharacters(in: .whitespaces) }
            if t.hasPrefix("// Caught by:") {
                caught = String(t.dropFirst("// Caught by:".count)).trimmingCharacters(in: .whitespaces)
            }
        }
        guard let what, let caught else { return nil }
        return WrongSolution(what: what, caughtBy: caught)
    }

    func prove() -> Int32 {
        let exercises = Catalog.exercises
        let chapters = Array(Set(exercises.map(\.id.chapter))).sorted()
        console.out("workbook prove: for each of \(exercises.count) exercises, the stub fails, the reference passes, "
            + "and two recorded wrong solutions fail on the check they name")
        var problems: [String] = []
        var lines: [ExerciseID: [String]] = [:]

        for (variant, label) in [("YourCode", "stub"), ("Proof/Reference", "reference"), ("Proof/Wrong1", "wrong 1"),
                                 ("Proof/Wrong2", "wrong 2")] {
            console.out("")
            console.out("Building the \(label == "stub" ? "stubs" : label == "reference" ? "reference solutions" : "\(label) solutions")...")
            let build = workshop.buildJudge(chapters: chapters, variant: variant)
            guard build.otherFailure == nil, build.failedChapters.isEmpty else {
                let errors = build.failedChapters.values.flatMap { $0 } + [build.otherFailure].compactMap { $0 }
                console.out("✗ the \(label) variant does not compile:")
                for e in errors.prefix(20) { console.out("    " + e) }
                return 1
            }
            if variant == "Proof/Reference" {
                // Every check of every exercise passes, and the transcripts too, all plugged in.
                let run = quiet(build.judge, ["checks", exercises.map(\.id.description).joined(separator: ",")])
                for exercise in exercises {
                    let verdicts = run.verdicts.filter { $0.hasPrefix("check \(exercise.id) ") }
                    let failed = verdicts.filter { !$0.hasPrefix("check \(exercise.id) pass ") }
                    if failed.isEmpty && verdicts.count == exercise.checks.count && !run.crashed {
                        lines[exercise.id, default: []].append("reference passes \(verdicts.count) checks")
                    } else {
                        problems.append("\(exercise.id): the reference fails: \(failed.first ?? "crashed")")
                        lines[exercise.id, default: []].append("REFERENCE FAILS")
                    }
                }
                let roots = [workshop.root + "/../shared/conformance/etcd", workshop.root + "/Tests/ConformanceScenarios"]
                    .filter { FileManager.default.fileExists(atPath: $0) }
                let t = quiet(build.judge, ["transcripts", exercises.map(\.id.description).joined(separator: ",")] + roots)
                let failedFiles = t.verdicts.filter { $0.hasPrefix("transcript fail") }
                let passedFiles = t.verdicts.filter { $0.hasPrefix("transcript pass") }
                if t.crashed || !failedFiles.isEmpty {
                    problems.append("the reference solutions plugged in fail transcripts: \(failedFiles.prefix(3))")
                }
                console.out("  every reference plugged in at once: \(passedFiles.count) transcripts pass, \(failedFiles.count) fail")
                continue
            }
            for exercise in exercises {
                let run = quiet(build.judge, ["checks", exercise.id.description])
                let failed = run.verdicts.filter { $0.hasPrefix("check \(exercise.id) fail ") }
                    .map { String($0.dropFirst("check \(exercise.id) fail ".count)) }
                let crashedCheck = run.crashed ? run.crashedDuring.map { String($0.dropFirst(exercise.id.description.count + 1)) } : nil
                if variant == "YourCode" {
                    if run.crashed || !failed.isEmpty {
                        lines[exercise.id, default: []].append(run.crashed ? "stub stops at todo()" : "stub fails \(failed.count) checks")
                    } else {
                        problems.append("\(exercise.id): the stub passes every check")
                        lines[exercise.id, default: []].append("STUB PASSES")
                    }
                    continue
                }
                let file = workshop.path(ChapterExercises.folder(exercise.id.chapter) + "/\(variant)/\(exercise.file)")
                guard let text = try? String(contentsOfFile: file, encoding: .utf8), let wrong = Self.wrongSolution(text) else {
                    problems.append("\(exercise.id): \(file) has no `// Wrong:` and `// Caught by:` lines")
                    lines[exercise.id, default: []].append("\(label): NOT RECORDED")
                    continue
                }
                guard exercise.checks.contains(where: { $0.name == wrong.caughtBy }) else {
                    problems.append("\(exercise.id) \(label): names a check that does not exist: \"\(wrong.caughtBy)\"")
                    lines[exercise.id, default: []].append("\(label): UNKNOWN CHECK")
                    continue
                }
                if failed.contains(wrong.caughtBy) || crashedCheck == wrong.caughtBy {
                    lines[exercise.id, default: []].append("\(label) fails \"\(wrong.caughtBy)\"")
                } else {
                    problems.append("\(exercise.id) \(label) (\(wrong.what)) is not caught by \"\(wrong.caughtBy)\""
                        + (failed.isEmpty ? " (it passes every check)" : " (it fails: \(failed.joined(separator: "; ")))"))
                    lines[exercise.id, default: []].append("\(label): NOT CAUGHT")
                }
            }
        }
        console.out("")
        for exercise in exercises {
            let ok = !problems.contains { $0.hasPrefix("\(exercise.id)") }
            console.out("  \(ok ? "✓" : "✗") \(exercise.id.description.padding(to: 4)) \(exercise.name.padding(to: 22)) "
                + (lines[exercise.id] ?? []).joined(separator: "; "))
        }
        console.out("")
        if problems.isEmpty {
            console.out("Proof holds: \(exercises.count) exercises, \(exercises.map(\.checks.count).reduce(0, +)) checks; "
                + "every stub and every recorded wrong solution fails, every reference passes.")
            return 0
        }
        console.out("Proof fails:")
        for p in problems { console.out("  " + p) }
        return 1
    }

    /// Runs the judge with its output hidden (the verdicts come from its report).
    func quiet(_ judge: String, _ arguments: [String]) -> Workshop.JudgeRun {
        Workshop(root: workshop.root, console: Console(out: { _ in }, err: { _ in }))
            .runJudge(judge, arguments + ["--quiet"])
    }
}
