// workbook-judge: runs the workbook's judges on the learner's code. The `workbook` command builds
// it with the learner's chapters that compile (see Package.swift) and runs it; run by hand it
// judges only what was compiled in.
//
//     workbook-judge checks 4.1,4.2                  each exercise's checks, with only it plugged in
//     workbook-judge transcripts 4.1,4.2 DIR...      datadriven files, with all of them plugged in
//     workbook-judge seeds 4.1,4.2 1-30 [--steps N]  simulator seeds, with all of them plugged in
//     workbook-judge run 4 4.1,4.2 [ARGS]           chapter 4's program with them plugged in,
//                                                    compared with the library's run
//     workbook-judge compiled                        the chapters compiled in
//
// Common options: --report FILE (verdicts for `workbook`), --replay "COMMAND with SEED".

import ExerciseChecks
import ExerciseSupport
import Foundation
import WorkbookKit

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("workbook-judge: \(message)\n".utf8))
    exit(2)
}

/// Whether to print nothing but errors (`--quiet`: the verdicts go to the report only).
let quiet = CommandLine.arguments.contains("--quiet")

/// Unbuffered: if the learner's code traps, everything said before it is on the screen.
@Sendable func say(_ line: String) {
    if !quiet { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }
}

/// Takes `--name value` out of `arguments`.
func option(_ name: String, from arguments: inout [String]) -> String? {
    guard let k = arguments.firstIndex(of: name) else { return nil }
    guard k + 1 < arguments.count else { fail("\(name) needs a value") }
    let value = arguments[k + 1]
    arguments.removeSubrange(k...(k + 1))
    return value
}

var rest = Array(CommandLine.arguments.dropFirst())
let reportPath = option("--report", from: &rest)
let replay = option("--replay", from: &rest) ?? "workbook-judge seeds IDS SEED-SEED --verbose"
let steps = option("--steps", from: &rest).map { Int($0) ?? 0 } ?? 1000
let verbose = rest.contains("--verbose")
rest.removeAll { $0 == "--verbose" || $0 == "--quiet" }
let arguments = rest

func exercises(_ text: String) -> Set<ExerciseID> {
    if text == "none" { return [] }
    var ids: Set<ExerciseID> = []
    for item in text.split(separator: ",") {
        guard let id = ExerciseID(parsing: item) else { fail("'\(item)' is not an exercise number") }
        guard compiledChapters.contains(where: { $0.chapter == id.chapter }) else {
            fail("exercise \(id): chapter \(id.chapter)'s code is not compiled into this judge")
        }
        ids.insert(id)
    }
    return ids
}

PartGuard.installCrashReport()
guard let command = arguments.first else { fail("no command (checks, transcripts, seeds, compiled)") }
switch command {
case "compiled":
    say(compiledChapters.map { "\($0.chapter)" }.joined(separator: ","))
case "checks":
    guard arguments.count == 2 else { fail("usage: checks IDS") }
    let ids = exercises(arguments[1])
    let judge = Judge(plug: plug, yours: ids, say: say, reportPath: reportPath)
    var allPassed = true
    for id in ids.sorted() {
        guard let exercise = Catalog.exercise(id) else { fail("there is no exercise \(id)") }
        say("\(id)  \(exercise.name)  (in place of \(exercise.replaces))")
        if !judge.checks(of: exercise) { allPassed = false }
    }
    exit(allPassed ? 0 : 1)
case "transcripts":
    guard arguments.count >= 3 else { fail("usage: transcripts IDS DIR...") }
    let ids = exercises(arguments[1])
    let roots = Array(arguments.dropFirst(2))
    let judge = Judge(plug: plug, yours: ids, say: say, reportPath: reportPath)
    var failed = 0
    for root in roots {
        let files: [String]
        do { files = try TranscriptJudge.files(conformance: root, scenarios: nil) } catch { fail("\(error)") }
        failed += judge.transcripts(files, root: root)
    }
    exit(failed == 0 ? 0 : 1)
case "seeds":
    guard arguments.count == 3 else { fail("usage: seeds IDS FIRST-LAST [--steps N]") }
    let ids = exercises(arguments[1])
    let bounds = arguments[2].split(separator: "-").compactMap { UInt64($0) }
    guard bounds.count == 2, bounds[0] >= 1, bounds[0] <= bounds[1] else {
        fail("seeds are given as FIRST-LAST, as in 1-30")
    }
    let judge = Judge(plug: plug, yours: ids, say: say, reportPath: reportPath)
    let broken = judge.seeds(
        bounds[0]...bounds[1], steps: steps,
        replay: replay.replacingOccurrences(of: "IDS", with: arguments[1]), verbose: verbose)
    exit(broken.isEmpty ? 0 : 1)
case "run":
    guard arguments.count >= 3, let n = Int(arguments[1]), (1...Workbook.chapters.count).contains(n) else {
        fail("usage: run CHAPTER IDS [ARGS]")
    }
    let ids = exercises(arguments[2])
    let chapter = Workbook.chapters[n - 1]
    let args = Array(arguments.dropFirst(3)).filter { $0 != "--yours" }
    let written = ids.sorted().map { id in "\(id) \(Catalog.exercise(id)?.name ?? "")" }
    let others = (Catalog.chapters.filter { $0.chapter <= n }.flatMap(\.exercises)).filter { !ids.contains($0.id) }
    say("Your code in this run: " + (written.isEmpty ? "none yet" : written.joined(separator: ", ")))
    if !others.isEmpty {
        say("The library's code for the rest: " + others.map { "\($0.id) \($0.name)" }.joined(separator: ", "))
    }
    say("")
    let reference: String, yours: String
    do {
        reference = try chapter.play(args, nil)
        yours = try chapter.play(args, plug(ids))
    } catch {
        fail("\(error)")
    }
    say(yours.hasSuffix("\n") ? String(yours.dropLast()) : yours)
    say("")
    say(RunComparison(yours: yours, reference: reference).summary)
    exit(0)
default:
    fail("unknown command '\(command)'")
}
