import Foundation
import RaftTesting
import Testing

/// Where the conformance files are, found from this source file's location.
enum ConformancePaths {
    /// The package root: two folders above `Tests/ConformanceTests/`.
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .deletingLastPathComponent()
        .deletingLastPathComponent()
    /// etcd's files, kept beside the repository (never copied into it): `../shared/conformance/etcd`
    /// (or `../../shared` for a git worktree checked out one folder deeper), or the folder named by
    /// `RAFT_ETCD_CONFORMANCE` (a checkout elsewhere, or a missing folder to see that the tests then
    /// report skipped).
    static let etcd: URL = {
        if let path = ProcessInfo.processInfo.environment["RAFT_ETCD_CONFORMANCE"], !path.isEmpty {
            return URL(fileURLWithPath: path).standardizedFileURL
        }
        let candidates = ["../shared/conformance/etcd", "../../shared/conformance/etcd"].map {
            packageRoot.appendingPathComponent($0).standardizedFileURL
        }
        return candidates.first(where: exists) ?? candidates[0]
    }()
    /// Why etcd's files cannot run here, or nil when they can.
    static var etcdMissing: String? {
        exists(etcd) ? nil : "\(etcd.path) not found: etcd's conformance files are not beside the package"
    }
    /// Our own scenarios, in the same format.
    static let scenarios = packageRoot.appendingPathComponent("Tests/ConformanceScenarios")

    static func exists(_ url: URL) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && isDirectory.boolValue
    }
}

/// Runs every file of `folder` and records one issue per failing file, with its first difference.
/// Returns how many files ran.
@discardableResult
func runConformanceFolder(_ folder: URL) throws -> Int {
    let files = try ConformanceRunner.collectFiles([folder.path])
    let runner = ConformanceRunner()
    for file in files {
        let result = runner.run(file: file)
        if !result.passed {
            Issue.record("FAIL \(file)\n\(result.report)")
        }
    }
    return files.count
}

@Suite struct EtcdConformanceTests {
    /// etcd's quorum, confchange and interaction datadriven files, byte for byte. Reported as
    /// skipped, never as passed, when the files are not there.
    /// etcd: TestDataDriven (quorum), TestConfChangeDataDriven (confchange), TestInteraction (rafttest): their testdata files, replayed byte for byte.
    @Test(
        .enabled(if: ConformancePaths.etcdMissing == nil, Comment(rawValue: ConformancePaths.etcdMissing ?? "")),
        arguments: ["quorum", "confchange", "interaction"])
    func etcdFiles(kind: String) throws {
        let folder = ConformancePaths.etcd.appendingPathComponent(kind)
        #expect(ConformancePaths.exists(folder), "missing \(folder.path)")
        let count = try runConformanceFolder(folder)
        #expect(count > 0, "no etcd \(kind) files in \(folder.path)")
    }

    /// Our own scenarios for what etcd's files leave out.
    @Test(arguments: ["quorum", "confchange", "interaction"])
    func ourScenarios(kind: String) throws {
        let folder = ConformancePaths.scenarios.appendingPathComponent(kind)
        #expect(ConformancePaths.exists(folder), "missing \(folder.path)")
        let count = try runConformanceFolder(folder)
        #expect(count > 0, "no scenario files in \(folder.path)")
    }

    /// `raft-conformance --print`: a passing file prints as itself; a file whose expectation is
    /// wrong prints our output in its place, and the block is named.
    @Test func transcriptOfAFile() throws {
        let file = ConformancePaths.scenarios.appendingPathComponent("interaction/read_index_lease_based.txt").path
        let transcript = ConformanceRunner().transcript(file: file)
        #expect(transcript.text == (try String(contentsOfFile: file, encoding: .utf8)))
        #expect(transcript.differing.isEmpty && transcript.error == nil)

        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("transcript-\(getpid())/confchange")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        let wrong = folder.appendingPathComponent("x.txt")
        try "simple\nv1\n----\nvoters=(1)\n1: StateProbe match=0 next=7\n".write(
            to: wrong, atomically: true, encoding: .utf8)
        let ours = ConformanceRunner().transcript(file: wrong.path)
        #expect(ours.text == "simple\nv1\n----\nvoters=(1)\n1: StateProbe match=0 next=1\n")
        #expect(ours.differing == ["\(wrong.path):1"])
    }

    /// The runner does notice a wrong expectation (so the tests above can fail).
    @Test func mismatchIsReported() {
        let text = """
            simple
            v1
            ----
            voters=(1)
            1: StateProbe match=0 next=7

            """
        let result = ConformanceRunner().run(text: text, path: "mem/confchange/x.txt", kind: "confchange")
        #expect(!result.passed)
        #expect(result.report.contains("mem/confchange/x.txt:1: simple"))
        #expect(result.report.contains("actual:\nvoters=(1)\n1: StateProbe match=0 next=1\n"))
    }

    /// Unknown kinds fail with a reason; the interaction harness reports unknown commands.
    @Test func unknownAndUnavailableKinds() {
        let runner = ConformanceRunner()
        let unknown = runner.run(text: "x\n----\n", path: "a/b.txt", kind: "nonsense")
        #expect(!unknown.passed)
        #expect(unknown.report.contains("unknown kind \"nonsense\""))
        let interaction = runner.run(text: "x\n----\nok\n", path: "interaction/b.txt", kind: "interaction")
        #expect(!interaction.passed)
        #expect(interaction.report.contains("unknown command"))
        #expect(ConformanceRunner.kind(ofFile: "../shared/conformance/etcd/quorum/joint_vote.txt") == "quorum")
    }

    /// A registered harness takes over its kind.
    @Test func registryIsExtensible() {
        struct Echo: DatadrivenHarness {
            var calls = 0
            mutating func handle(_ testCase: DatadrivenTestCase) throws -> String {
                calls += 1
                return "\(testCase.cmd) \(calls)"
            }
        }
        var registry = HarnessRegistry.standard
        registry.register("interaction") { Echo() }
        let text = "a\n----\na 1\n\nb\n----\nb 2\n"
        let result = ConformanceRunner(registry: registry).run(
            text: text, path: "interaction/e.txt", kind: "interaction")
        #expect(result.passed, "\(result.report)")
    }

    /// Every etcd file, of every kind (interaction included), reads without error, one block per
    /// `----` separator, and echoing the expected output passes: the reader is ready for the
    /// interaction harness.
    @Test(.enabled(if: ConformancePaths.etcdMissing == nil, Comment(rawValue: ConformancePaths.etcdMissing ?? "")))
    func everyEtcdFileParses() throws {
        let files = try ConformanceRunner.collectFiles([ConformancePaths.etcd.path])
        #expect(files.count >= 10)
        for file in files {
            let text = try String(contentsOfFile: file, encoding: .utf8)
            let (cases, error) = Datadriven.parse(text, sourceName: file)
            #expect(error == nil, "\(file): \(String(describing: error))")
            let separators = text.split(separator: "\n", omittingEmptySubsequences: false).filter { $0 == "----" }.count
            #expect(cases.count == separators, "\(file)")
            let echoed = Datadriven.run(text, sourceName: file) { $0.expected }
            #expect(echoed.passed, "\(file)")
        }
    }

    @Test func missingPathIsAnError() {
        #expect(throws: DatadrivenError.self) {
            try ConformanceRunner.collectFiles(["/definitely/not/here"])
        }
    }
}
