import ExerciseChecks
import ExerciseSupport
import Foundation
import WorkbookKit

/// Carries out `workbook`'s commands.
struct Workbench {
    let chapters: [Chapter]
    let console: Console
    /// The package root, found from the current directory; nil outside the package.
    let root: String?

    /// The default batches of simulator seeds: a chapter's, and the capstone's.
    static let chapterSeeds: ClosedRange<UInt64> = 1...30
    static let chapterSteps = 1000
    static let allSeeds: ClosedRange<UInt64> = 1...300
    static let allSteps = 2000

    /// Runs `command` and returns the exit status: 0 all well, 1 a check failed, 2 a usage error.
    func perform(_ command: Command) -> Int32 {
        switch command {
        case .help:
            console.out(usage)
            return 0
        case .run(let chapter, let arguments) where !arguments.contains("--yours"):
            return run(chapter, arguments)
        default:
            break
        }
        guard let root else {
            console.err("workbook: run me from the package (no Package.swift with Sources/Exercises at or above "
                + "\(FileManager.default.currentDirectoryPath))")
            return 2
        }
        let workshop = Workshop(root: root, console: console)
        switch command {
        case .list: return list(workshop)
        case .run(let chapter, let arguments): return runYours(chapter, arguments, workshop)
        case .check(let target, let options): return check(target, options, workshop)
        case .hint(let id, let step): return hint(id, step, workshop)
        case .answer(let chapter, let question): return answer(chapter, question, workshop)
        case .watch: return watch(workshop)
        case .prove: return Prover(workshop: workshop, console: console).prove()
        case .help: return 0
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

    /// The chapters with the learner's progress and what to do next.
    func list(_ workshop: Workshop) -> Int32 {
        let progress = Progress.load(root: workshop.root)
        console.out("SwiftRaft Workbook: \(chapters.count + 1) chapters, \(Catalog.exercises.count) exercises "
            + "that build raft, piece by piece")
        console.out("")
        let width = max(20, chapters.map(\.title.count).max() ?? 0)
        var next: Exercise?
        for chapter in chapters {
            let own = Catalog.chapter(chapter.number)?.exercises ?? []
            // A pass counts while the file is still the learner's: one put back to its stub is not.
            let done = own.filter { progress.passed.contains($0.id.description) && workshop.isWritten($0) }
            let passed = done.count
            let written = own.filter(workshop.isWritten).count
            if next == nil { next = own.first { e in !done.contains { $0.id == e.id } } }
            let mark = own.isEmpty ? " " : passed == own.count ? "✓" : written > 0 ? "…" : "○"
            console.out("  \(pad(chapter.number, 2))  \(chapter.title.padding(to: width))  \(mark) \(passed)/\(own.count) "
                + "passed\(written > passed ? ", \(written - passed) written" : "")")
        }
        console.out("  \(pad(Workbook.raftkv.number, 2))  \(Workbook.raftkv.title.padding(to: width))    "
            + "(no exercises: \(Workbook.raftkv.command))")
        console.out("")
        if let next {
            console.out("Next: exercise \(next.id), \(next.name): \(next.summary)")
            console.out("  write it in \(next.path)")
            console.out("  then: swift run workbook check \(next.id.chapter)   (stuck? swift run workbook hint \(next.id))")
        } else {
            console.out("Every exercise passes. The capstone: swift run workbook check all")
        }
        console.out("")
        console.out(usage)
        return 0
    }

    // MARK: - run

    /// Prints chapter `number`'s narration (the library's code).
    func run(_ number: Int, _ arguments: [String]) -> Int32 {
        guard let chapter = chapters.first(where: { $0.number == number }) else {
            if number == Workbook.raftkv.number {
                console.out("Chapter 10 runs as a service: \(Workbook.raftkv.command)")
                return 0
            }
            return usageError("there is no chapter \(number); chapters are numbered 1 to \(chapters.count + 1)")
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

    /// Chapter `number`'s program on the learner's code: every exercise written in chapters up to
    /// it plugged in, compared with the library's run.
    func runYours(_ number: Int, _ arguments: [String], _ workshop: Workshop) -> Int32 {
        guard chapters.contains(where: { $0.number == number }) else {
            return usageError("there is no chapter \(number) with a program; chapters are numbered 1 to \(chapters.count)")
        }
        let written = workshop.writtenExercises(upTo: number)
        guard let build = buildJudge(for: written, focus: nil, workshop) else { return 2 }
        let plugged = written.filter { build.compiled.contains($0.id.chapter) }
        let run = workshop.runJudge(build.judge, ["run", "\(number)", ids(plugged)] + arguments)
        if run.crashed {
            reportCrash(run, doing: "chapter \(number)'s program")
            return 1
        }
        return run.status
    }

    // MARK: - check

    /// Judges the learner's code: the target's exercises' checks, then every transcript and a
    /// batch of simulator seeds with every written exercise (up to the target's chapter) plugged in.
    func check(_ target: CheckTarget, _ options: CheckOptions, _ workshop: Workshop) -> Int32 {
        let focus: [Exercise]
        switch target {
        case .all:
            focus = Catalog.exercises
            console.out("The capstone: every exercise, every transcript, \(options.seeds?.count ?? Self.allSeeds.count) seeds")
        case .chapter(let n):
            guard let ch = Catalog.chapter(n), !ch.exercises.isEmpty else {
                let known = Catalog.chapters.filter { !$0.exercises.isEmpty }.map { "\($0.chapter)" }.joined(separator: ", ")
                return usageError("chapter \(n) has no exercises; chapters with exercises: \(known)")
            }
            focus = ch.exercises
            console.out("Chapter \(n): \(chapters.first { $0.number == n }?.title ?? "")")
        case .exercise(let id):
            guard let exercise = Catalog.exercise(id) else {
                return usageError("there is no exercise \(id); the exercises are "
                    + Catalog.exercises.map(\.id.description).joined(separator: " "))
            }
            focus = [exercise]
            console.out("Exercise \(id): \(exercise.name)")
        }
        var progress = Progress.load(root: workshop.root)
        let written = workshop.writtenExercises(upTo: target.chapter)
        let focusWritten = focus.filter(workshop.isWritten)
        for exercise in focus where !workshop.isWritten(exercise) {
            console.out("  ○ \(exercise.id) \(exercise.name): not written yet (\(exercise.path) still calls todo())")
        }
        guard !focusWritten.isEmpty else {
            console.out("")
            console.out("Nothing of yours to judge yet. Write an exercise in its file (delete its todo() call), then "
                + "run this again. Stuck? swift run workbook hint \(focus[0].id)")
            return 1
        }
        guard let build = buildJudge(for: written, focus: target.chapter, workshop) else { return 2 }
        var plugged = written.filter { build.compiled.contains($0.id.chapter) }
        let judged = focusWritten.filter { build.compiled.contains($0.id.chapter) }
        for exercise in focusWritten where !build.compiled.contains(exercise.id.chapter) {
            progress.record(exercise.id.description, passed: false)
        }
        guard !judged.isEmpty else {
            save(progress, workshop)
            console.out("")
            console.out("✗ Nothing of yours could be judged: fix the errors above and run this again.")
            return 1
        }

        // 1. Each exercise's checks, with only it plugged in.
        console.out("")
        console.out("Checks (each exercise alone in the library):")
        var outcome: [ExerciseID: Bool] = [:]
        var pending = judged.map(\.id)
        while !pending.isEmpty {
            let run = workshop.runJudge(build.judge, ["checks", ids(pending)])
            for line in run.verdicts where line.hasPrefix("check ") {
                let parts = line.split(separator: " ", maxSplits: 3)
                guard parts.count >= 3, let id = ExerciseID(parsing: parts[1]) else { continue }
                outcome[id] = (outcome[id] ?? true) && parts[2] == "pass"
            }
            if run.crashed {
                let culprit = run.crashedIn ?? pending.first { outcome[$0] == nil }
                reportCrash(run, doing: run.crashedDuring.map { "the check \"\($0)\"" } ?? "its checks")
                if let culprit { outcome[culprit] = false }
                pending = pending.filter { outcome[$0] == nil && $0 != culprit }
            } else {
                for id in pending where outcome[id] == nil { outcome[id] = run.status == 0 }
                pending = []
            }
        }

        // 2. Transcripts and 3. seeds, with every written exercise plugged in.
        var stagesPassed = true
        let roots = [workshop.root + "/../shared/conformance/etcd", workshop.root + "/Tests/ConformanceScenarios"]
            .filter { FileManager.default.fileExists(atPath: $0) }
        console.out("")
        console.out("etcd's transcripts and ours, byte for byte, with your code plugged in (\(ids(plugged))):")
        if roots.count < 2 {
            console.out("  (../shared/conformance/etcd is not beside the package: only our own scenarios run)")
        }
        stagesPassed = runStage(["transcripts"], roots.map { standardized($0) }, &plugged, build, workshop) && stagesPassed
        let seeds = options.seeds ?? (target == .all ? Self.allSeeds : Self.chapterSeeds)
        let steps = options.steps ?? (target == .all ? Self.allSteps : Self.chapterSteps)
        console.out("")
        console.out("The fault simulator (crashes, partitions, lost and reordered messages), with your code plugged in:")
        let replay = "swift run workbook check \(target.description) --seeds SEED --steps \(steps) --verbose"
        var seedArgs = ["\(seeds.lowerBound)-\(seeds.upperBound)", "--steps", "\(steps)", "--replay", replay]
        if options.verbose { seedArgs.append("--verbose") }
        stagesPassed = runStage(["seeds"], seedArgs, &plugged, build, workshop) && stagesPassed

        // The verdict.
        for exercise in judged { progress.record(exercise.id.description, passed: outcome[exercise.id] == true && stagesPassed) }
        if let n = target.chapter, stagesPassed { progress.chaptersJudged.insert(n) }
        save(progress, workshop)
        console.out("")
        let good = judged.filter { outcome[$0.id] == true }
        let failed = judged.filter { outcome[$0.id] != true }
        if failed.isEmpty && stagesPassed && good.count == focus.count {
            console.out("✓ All of it passes: \(good.map(\.id.description).joined(separator: ", ")).")
            if let n = target.chapter, let next = Catalog.chapters.first(where: { $0.chapter > n && !$0.exercises.isEmpty }) {
                console.out("Next: chapter \(next.chapter), \(next.exercises[0].path)")
            }
            return 0
        }
        if !failed.isEmpty {
            console.out("✗ Not yet: \(failed.map { "\($0.id) \($0.name)" }.joined(separator: ", ")). "
                + "Stuck? swift run workbook hint \(failed[0].id)")
        } else if !stagesPassed {
            console.out("✗ Each exercise passes alone, but together inside raft they break something (above).")
        } else {
            console.out("So far so good: \(good.count) of \(focus.count) written and passing.")
        }
        return 1
    }

    /// Runs one judge stage (`transcripts` or `seeds`) with `plugged`; if the learner's code
    /// crashes, reports it and runs the stage again without that exercise. Returns whether it passed.
    func runStage(_ command: [String], _ arguments: [String], _ plugged: inout [Exercise], _ build: Workshop.Build,
                  _ workshop: Workshop) -> Bool {
        var passed = true
        while true {
            let run = workshop.runJudge(build.judge, command + [ids(plugged)] + arguments)
            if !run.crashed { return passed && run.status == 0 }
            passed = false
            reportCrash(run, doing: run.crashedDuring ?? command[0])
            guard let culprit = run.crashedIn, plugged.contains(where: { $0.id == culprit }) else { return false }
            plugged.removeAll { $0.id == culprit }
            console.out("  (running the rest again with the library's \(culprit) in place of yours)")
        }
    }

    /// Builds the judge with the chapters of `written`, and says which chapters do not compile.
    /// Returns nil (after saying why) when the build failed for another reason.
    func buildJudge(for written: [Exercise], focus: Int?, _ workshop: Workshop) -> Workshop.Build? {
        let chapterNumbers = Array(Set(written.map(\.id.chapter))).sorted()
        console.out("")
        console.out(chapterNumbers.isEmpty ? "Building the judge..."
            : "Building your code (chapter\(chapterNumbers.count == 1 ? "" : "s") "
                + "\(chapterNumbers.map(String.init).joined(separator: ", "))) into raft...")
        let build = workshop.buildJudge(chapters: chapterNumbers)
        if let other = build.otherFailure {
            console.err("workbook: building the judge failed, and not in your code:")
            console.err(other)
            return nil
        }
        for (n, errors) in build.failedChapters.sorted(by: { $0.key < $1.key }) {
            if n == focus {
                console.out("✗ Your chapter \(n) code does not compile:")
            } else {
                console.out("! Your chapter \(n) code does not compile; the library's code stands in for it here:")
            }
            for line in errors.prefix(12) { console.out("    " + relative(line, workshop)) }
            if errors.count > 12 { console.out("    (\(errors.count - 12) more errors)") }
        }
        return build
    }

    /// Says which exercise's code crashed and while doing what.
    func reportCrash(_ run: Workshop.JudgeRun, doing what: String) {
        if let id = run.crashedIn {
            let name = Catalog.exercise(id)?.name ?? ""
            console.out("  ✗ your exercise \(id) (\(name)) crashed during \(what); the message above says where")
        } else {
            console.out("  ✗ the judge crashed during \(what), outside your code (a bug in the workbook: please report it)")
        }
    }

    func ids(_ exercises: [Exercise]) -> String { ids(exercises.map(\.id)) }
    func ids(_ list: [ExerciseID]) -> String { list.isEmpty ? "none" : list.map(\.description).joined(separator: ",") }

    func standardized(_ path: String) -> String { URL(fileURLWithPath: path).standardizedFileURL.path }

    func relative(_ line: String, _ workshop: Workshop) -> String {
        line.replacingOccurrences(of: workshop.root + "/", with: "")
    }

    func save(_ progress: Progress, _ workshop: Workshop) {
        do { try progress.save(root: workshop.root) } catch {
            console.err("workbook: could not save your progress in \(Progress.path(root: workshop.root)): \(error)")
        }
    }

    // MARK: - hint, answer

    /// The next hint of an exercise (or hint `step`).
    func hint(_ id: ExerciseID, _ step: Int?, _ workshop: Workshop) -> Int32 {
        guard let exercise = Catalog.exercise(id) else {
            return usageError("there is no exercise \(id); the exercises are "
                + Catalog.exercises.map(\.id.description).joined(separator: " "))
        }
        let file = workshop.path(ChapterExercises.folder(id.chapter) + "/Hints.md")
        guard let text = try? String(contentsOfFile: file, encoding: .utf8),
              let steps = Hints(markdown: text).steps[id.description], !steps.isEmpty else {
            console.err("workbook: no hints for \(id) in \(file)")
            return 1
        }
        var progress = Progress.load(root: workshop.root)
        let shown = progress.hintsShown[id.description] ?? 0
        let k = min(step ?? (shown + 1), steps.count)
        console.out("\(id) \(exercise.name) — hint \(k) of \(steps.count)")
        console.out("")
        console.out(steps[k - 1])
        console.out("")
        if k < steps.count {
            console.out("(more: swift run workbook hint \(id); the last hint is the whole algorithm)")
        } else {
            console.out("(that was the last hint: the algorithm)")
        }
        progress.hintsShown[id.description] = max(shown, k)
        save(progress, workshop)
        return 0
    }

    /// The answer to question `question` of chapter `chapter`.
    func answer(_ chapter: Int, _ question: Int, _ workshop: Workshop) -> Int32 {
        guard let ch = chapters.first(where: { $0.number == chapter }) else {
            return usageError("there is no chapter \(chapter) with questions")
        }
        guard let text = try? String(contentsOfFile: workshop.path(ch.path), encoding: .utf8) else {
            console.err("workbook: cannot read \(ch.path)")
            return 1
        }
        let questions = Questions(markdown: text).items
        guard question >= 1, question <= questions.count else {
            return usageError("chapter \(chapter) has \(questions.count) questions")
        }
        let q = questions[question - 1]
        console.out("Chapter \(chapter), question \(question): \(q.text.drop { $0 != " " }.dropFirst())")
        console.out("")
        console.out(q.answer ?? "(no answer written yet in \(ch.path))")
        return q.answer == nil ? 1 : 0
    }

    // MARK: - watch

    /// Checks the exercise whose file was saved, every time one is, until interrupted.
    func watch(_ workshop: Workshop) -> Int32 {
        console.out("Watching \(Catalog.exercises.count) exercise files; save one to check it (Ctrl-C to stop).")
        var times = workshop.exerciseFileTimes()
        while true {
            Thread.sleep(forTimeInterval: 1)
            let now = workshop.exerciseFileTimes()
            let changed = now.filter { times[$0.key] != $0.value }.map(\.key).sorted()
            times = now
            guard let file = changed.first, let exercise = Catalog.exercises.first(where: { $0.path == file }) else {
                continue
            }
            console.out("")
            console.out(String(repeating: "─", count: 72))
            console.out("\(file) saved")
            _ = check(.exercise(exercise.id), CheckOptions(seeds: 1...5, steps: 300), workshop)
            console.out("(watching; Ctrl-C to stop)")
        }
    }
}

extension CheckTarget: CustomStringConvertible {
    var description: String {
        switch self {
        case .chapter(let n): "\(n)"
        case .exercise(let id): "\(id)"
        case .all: "all"
        }
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
