import ExerciseChecks
import ExerciseSupport
import Foundation

/// The package the learner works in: finds their exercise files, builds the judge with their
/// code in it, and runs the judge as a child process (a trap in their code ends the child, never
/// the workbook).
struct Workshop {
    /// The package root (where Package.swift and Sources/Exercises are).
    let root: String
    let console: Console

    /// The package root at or above `directory`, if any.
    static func findRoot(from directory: String = FileManager.default.currentDirectoryPath) -> String? {
        var url = URL(fileURLWithPath: directory).standardizedFileURL
        while true {
            let fm = FileManager.default
            if fm.fileExists(atPath: url.appendingPathComponent("Package.swift").path),
               fm.fileExists(atPath: url.appendingPathComponent("Sources/Exercises").path) {
                return url.path
            }
            let parent = url.deletingLastPathComponent()
            if parent.path == url.path { return nil }
            url = parent
        }
    }

    func path(_ relative: String) -> String { root + "/" + relative }

    // MARK: - The learner's files

    /// Whether the learner has started writing `exercise`: its file no longer calls `todo()`.
    /// A missing file counts as not written.
    func isWritten(_ exercise: Exercise) -> Bool {
        guard let text = try? String(contentsOfFile: path(exercise.path), encoding: .utf8) else { return false }
        return !Self.callsTodo(text)
    }

    /// Whether Swift source calls `todo()` outside comments.
    static func callsTodo(_ text: String) -> Bool {
        for line in text.split(separator: "\n") {
            let code = line.components(separatedBy: "//").first ?? ""
            if code.contains("todo(") { return true }
        }
        return false
    }

    /// The written exercises of the chapters up to `chapter` (all chapters when nil).
    func writtenExercises(upTo chapter: Int?) -> [Exercise] {
        Catalog.chapters.filter { chapter == nil || $0.chapter <= chapter! }.flatMap(\.exercises).filter(isWritten)
    }

    /// The modification times of every exercise file, for `watch`.
    func exerciseFileTimes() -> [String: Date] {
        var times: [String: Date] = [:]
        for exercise in Catalog.exercises {
            let p = path(exercise.path)
            if let date = (try? FileManager.default.attributesOfItem(atPath: p))?[.modificationDate] as? Date {
                times[exercise.path] = date
            }
        }
        return times
    }

    // MARK: - Building the judge

    /// The result of building the judge: which chapters' code is in it, and the compile errors
    /// of the chapters that had to be left out.
    struct Build {
        var compiled: [Int] = []
        var failedChapters: [Int: [String]] = [:]
        /// Set when the build failed for a reason outside the learner's code.
        var otherFailure: String?
        var judge: String = ""
    }

    /// Builds `workbook-judge` with the learner's chapters `chapters` (sources from `variant`),
    /// leaving out any chapter that does not compile (and trying again without it).
    func buildJudge(chapters: [Int], variant: String = "YourCode") -> Build {
        var build = Build()
        var wanted = chapters.sorted()
        while true {
            let (status, output) = runTool(["swift", "build", "--product", "workbook-judge"],
                                           environment: ["WORKBOOK_CHAPTERS": wanted.map(String.init).joined(separator: ","),
                                                         "WORKBOOK_VARIANT": variant])
            if status == 0 {
                build.compiled = wanted
                let (_, bin) = runTool(["swift", "build", "--show-bin-path"],
                                       environment: ["WORKBOOK_CHAPTERS": wanted.map(String.init).joined(separator: ","),
                                                     "WORKBOOK_VARIANT": variant])
                build.judge = bin.trimmingCharacters(in: .whitespacesAndNewlines) + "/workbook-judge"
                return build
            }
            let errors = Self.errorLines(output)
            var blamed: Set<Int> = []
            for line in errors {
                for n in wanted where line.contains("Sources/Exercises/\(ChapterExercises.folder(n).split(separator: "/").last!)/") {
                    blamed.insert(n)
                    build.failedChapters[n, default: []].append(line)
                }
            }
            if blamed.isEmpty {
                build.otherFailure = errors.isEmpty ? String(output.suffix(3000)) : errors.prefix(20).joined(separator: "\n")
                return build
            }
            wanted.removeAll { blamed.contains($0) }
        }
    }

    /// The compiler's error lines (`file:line:col: error: ...`), deduplicated, in order.
    static func errorLines(_ output: String) -> [String] {
        var seen: Set<String> = []
        var lines: [String] = []
        for line in output.split(separator: "\n") where line.contains(": error:") {
            let text = String(line)
            if seen.insert(text).inserted { lines.append(text) }
        }
        return lines
    }

    // MARK: - Running

    /// Runs a tool (`swift ...`) in the package root, collecting its output (stdout and stderr).
    func runTool(_ arguments: [String], environment extra: [String: String] = [:]) -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: root)
        var environment = ProcessInfo.processInfo.environment
        for (k, v) in extra { environment[k] = v }
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        do { try process.run() } catch { return (127, "cannot run \(arguments.joined(separator: " ")): \(error)") }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// What one run of the judge found.
    struct JudgeRun {
        /// Exit status, or the signal that ended it.
        var status: Int32
        var crashed: Bool
        /// The exercise whose code was running when it crashed (from the judge's crash report).
        var crashedIn: ExerciseID?
        /// What the judge was doing when it crashed (`running ...` in its report).
        var crashedDuring: String?
        /// The verdict lines of its report.
        var verdicts: [String]
    }

    /// Runs the judge with `arguments`; its output goes straight to the terminal, its verdicts to
    /// a report file read afterwards.
    func runJudge(_ judge: String, _ arguments: [String]) -> JudgeRun {
        let report = NSTemporaryDirectory() + "workbook-report-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: report) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: judge)
        process.arguments = arguments + ["--report", report]
        process.currentDirectoryURL = URL(fileURLWithPath: root)
        let errors = Pipe()
        process.standardError = errors
        do { try process.run() } catch {
            console.err("workbook: cannot run the judge (\(judge)): \(error)")
            return JudgeRun(status: 127, crashed: false, verdicts: [])
        }
        let errorData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let errorText = String(decoding: errorData, as: UTF8.self)
        let lines = ((try? String(contentsOfFile: report, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
        var run = JudgeRun(status: process.terminationStatus, crashed: process.terminationReason == .uncaughtSignal,
                           verdicts: lines.filter { !$0.hasPrefix("running ") })
        for line in errorText.split(separator: "\n") {
            if let range = line.range(of: "crashed in exercise ") {
                run.crashedIn = ExerciseID(parsing: line[range.upperBound...].trimmingCharacters(in: .whitespaces))
            }
        }
        if run.crashed {
            run.crashedDuring = lines.last { $0.hasPrefix("running ") }.map { String($0.dropFirst("running ".count)) }
            // The trap's own message (file, line, reason) is the most useful line of stderr.
            let reasons = errorText.split(separator: "\n").filter { $0.contains("Fatal error") || $0.contains("error:") }
            for reason in reasons.prefix(3) { console.out("      \(reason)") }
        } else if !errorText.isEmpty {
            console.err(errorText.hasSuffix("\n") ? String(errorText.dropLast()) : errorText)
        }
        return run
    }
}
