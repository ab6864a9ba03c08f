import ExerciseSupport
import Foundation
import Raft
import RaftTesting

/// Replays datadriven files (etcd's own, and our scenarios) with the learner's parts plugged into
/// every node and every quorum and conf change rule, and compares the output byte for byte.
package struct TranscriptJudge {
    /// The files, as paths.
    package let files: [String]
    package let parts: Parts

    package init(files: [String], parts: Parts) {
        self.files = files
        self.parts = parts
    }

    /// The verdict on one file.
    package struct Verdict: Sendable {
        package let file: String
        package let passed: Bool
        /// Where the first difference is, with the lines around it; empty when passed.
        package let report: String
    }

    /// The datadriven files under the conformance folder and our scenarios, sorted by path.
    package static func files(conformance: String, scenarios: String?) throws -> [String] {
        var roots = [conformance]
        if let scenarios, FileManager.default.fileExists(atPath: scenarios) { roots.append(scenarios) }
        return try ConformanceRunner.collectFiles(roots)
    }

    /// Runs one file.
    package func judge(_ path: String) -> Verdict {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            return Verdict(file: path, passed: false, report: "cannot read \(path): \(error.localizedDescription)")
        }
        let kind = ConformanceRunner.kind(ofFile: path)
        switch HarnessRegistry.withParts(parts).makeHarness(for: kind) {
        case .failure(let error):
            return Verdict(file: path, passed: false, report: "\(error)")
        case .success(var harness):
            let result = Datadriven.run(text, sourceName: path) { testCase in try harness.handle(testCase) }
            if let parseError = result.parseError {
                return Verdict(file: path, passed: false, report: "\(parseError)")
            }
            guard let block = result.firstFailure else { return Verdict(file: path, passed: true, report: "") }
            return Verdict(file: path, passed: false, report: Self.firstDifference(block))
        }
    }

    /// The first line where a block's output differs from the file's, with two lines before it.
    static func firstDifference(_ block: DatadrivenBlockResult) -> String {
        let where_ = "\(block.testCase.pos): \(block.testCase.directive)"
        if let error = block.error { return "\(where_)\n      stopped: \(error)" }
        let expected = block.testCase.expected.split(separator: "\n", omittingEmptySubsequences: false)
        let actual = block.actual.split(separator: "\n", omittingEmptySubsequences: false)
        var k = 0
        while k < expected.count, k < actual.count, expected[k] == actual[k] { k += 1 }
        var out = "\(where_), output line \(k + 1):"
        for line in expected[max(0, k - 2)..<min(k, expected.count)] { out += "\n        \(line)" }
        out += "\n      expected: " + (k < expected.count ? String(expected[k]) : "(end of output)")
        out += "\n      yours:    " + (k < actual.count ? String(actual[k]) : "(end of output)")
        return out
    }
}
