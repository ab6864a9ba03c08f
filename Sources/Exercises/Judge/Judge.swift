import ExerciseSupport
import Foundation
import Raft

/// Runs the three judges on the learner's parts and says what they found: each exercise's
/// checks, then the datadriven transcripts, then simulator seeds.
///
/// It prints for the learner (`say`) and, when given a report file, writes one line per verdict
/// there for the `workbook` command (progress, `prove`), flushed as it goes so that a crash
/// loses nothing before it:
///
///     check 4.1 pass entries that continue the log are appended
///     check 4.1 fail a gap after the last entry is refused
///     transcript fail interaction/probe_and_replicate.txt
///     seed pass 17
package final class Judge {
    /// Makes the `Parts` with the given exercises plugged in (the learner's modules provide them).
    package let plug: @Sendable (Set<ExerciseID>) -> Parts
    /// The exercises plugged in for the transcripts and the simulator.
    package let yours: Set<ExerciseID>
    let say: (String) -> Void
    let report: FileHandle?

    package init(
        plug: @escaping @Sendable (Set<ExerciseID>) -> Parts, yours: Set<ExerciseID>,
        say: @escaping (String) -> Void, reportPath: String?
    ) {
        self.plug = plug
        self.yours = yours
        self.say = say
        if let reportPath {
            _ = FileManager.default.createFile(atPath: reportPath, contents: nil)
            report = FileHandle(forWritingAtPath: reportPath)
        } else {
            report = nil
        }
    }

    func record(_ line: String) {
        report?.write(Data((line + "\n").utf8))
    }

    /// Runs one exercise's checks with only that exercise plugged in. Returns whether all passed.
    @discardableResult
    package func checks(of exercise: Exercise) -> Bool {
        let parts = plug([exercise.id])
        var passed = 0
        for check in exercise.checks {
            record("running \(exercise.id) \(check.name)")
            switch check.run(parts) {
            case .pass:
                passed += 1
                say("  ✓ \(check.name)")
                record("check \(exercise.id) pass \(check.name)")
            case .fail(let why):
                say("  ✗ \(check.name)")
                say(
                    why.split(separator: "\n", omittingEmptySubsequences: false).map { "      " + $0 }.joined(
                        separator: "\n"))
                record("check \(exercise.id) fail \(check.name)")
            }
        }
        return passed == exercise.checks.count
    }

    /// Replays `files` with every exercise in `yours` plugged in. Returns how many failed.
    @discardableResult
    package func transcripts(_ files: [String], root: String) -> Int {
        let judge = TranscriptJudge(files: files, parts: plug(yours))
        var failed = 0
        for file in files {
            let name = file.hasPrefix(root) ? String(file.dropFirst(root.count)).trimmingPrefix("/") : Substring(file)
            record("running transcript \(name)")
            let before = callCounts()
            let verdict = judge.judge(file)
            let ran = callCounts().compactMap { id, n in
                n > (before[id] ?? 0) ? "\(id)×\(n - (before[id] ?? 0))" : nil
            }.sorted()
            let yoursRan = ran.isEmpty ? "" : " (your code ran: \(ran.joined(separator: ", ")))"
            if verdict.passed {
                say("  ✓ \(name)\(yoursRan)")
                record("transcript pass \(name)")
            } else {
                failed += 1
                say("  ✗ \(name)\(yoursRan)")
                say("      " + verdict.report)
                record("transcript fail \(name)")
            }
        }
        return failed
    }

    /// Runs simulator seeds with every exercise in `yours` plugged in. Returns the seeds that
    /// broke a guarantee. `replay` is the command that replays one seed, with `SEED` in it.
    @discardableResult
    package func seeds(_ seeds: ClosedRange<UInt64>, steps: Int, replay: String, verbose: Bool = false) -> [UInt64] {
        let judge = SimulationJudge(parts: plug(yours), steps: steps)
        var broken: [UInt64] = []
        for seed in seeds {
            record("running seed \(seed)")
            if let (violation, events) = judge.judge(seed: seed) {
                broken.append(seed)
                record("seed fail \(seed)")
                say("  ✗ seed \(seed): \(violation)")
                say("      replay it: " + replay.replacingOccurrences(of: "SEED", with: "\(seed)"))
                let shown = verbose ? events : Array(events.suffix(8))
                say("      its last events:\n" + shown.map { "        " + $0 }.joined(separator: "\n"))
                if broken.count >= 3 && !verbose {
                    say("  (stopping after 3 broken seeds)")
                    break
                }
            } else {
                record("seed pass \(seed)")
            }
        }
        if broken.isEmpty { say("  ✓ \(seeds.count) seeds, \(steps) steps each, every guarantee kept") }
        return broken
    }

    /// How often each plugged exercise's code has been called so far.
    func callCounts() -> [ExerciseID: Int] {
        var counts: [ExerciseID: Int] = [:]
        for id in yours { counts[id] = PartGuard.calls(of: id) }
        return counts
    }
}
