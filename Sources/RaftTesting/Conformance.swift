import Foundation

/// The outcome of running one conformance file.
///
/// etcd: one `datadriven.RunTest` call, pass or fail.
public struct ConformanceFileResult: Sendable {
    /// The file's path, as it was found.
    ///
    /// datadriven: the `path` given to `RunTest`.
    public var path: String
    /// The file's kind: the name of its folder.
    ///
    /// etcd: the package whose `testdata` holds the file.
    public var kind: String
    /// Whether every block printed exactly what was expected.
    ///
    /// datadriven: `!t.Failed()`.
    public var passed: Bool
    /// Why it failed: the first differing block (position, directive, expected and actual), or
    /// the reason the file could not be run. Empty when it passed.
    ///
    /// datadriven: the message of the failing `t.Fatalf`.
    public var report: String
    /// Whether `ConformanceRunner.rewrite(file:)` wrote new expected outputs into the file.
    ///
    /// datadriven: none (ours; `-rewrite` rewrites silently).
    public var rewritten = false
}

/// What `ConformanceRunner.transcript(file:)` printed for one file.
///
/// etcd: none (ours).
public struct ConformanceTranscript: Sendable {
    /// The file's path, as it was given.
    public var path: String
    /// The file with our output after each command.
    public var text: String
    /// The positions (`file:line`) of the blocks whose output differs from the file's.
    public var differing: [String]
    /// Why the transcript stops early (a block that could not run, an unreadable file), if it does.
    public var error: String?
}

/// Finds conformance files and runs each through the harness for its kind.
///
/// etcd: `datadriven.Walk` over each package's `testdata`.
public struct ConformanceRunner {
    /// Which harness runs which kind of file.
    ///
    /// etcd: which `TestDataDriven` function a folder belongs to.
    public var registry: HarnessRegistry

    /// A runner using `registry` (by default the harnesses of this package).
    ///
    /// etcd: none (ours).
    public init(registry: HarnessRegistry = .standard) {
        self.registry = registry
    }

    /// The files named by `paths`: a file is taken as is; a folder is searched recursively for
    /// `*.txt` files (hidden entries skipped), listed in sorted order. Fails on a path that does
    /// not exist.
    ///
    /// datadriven: `Walk`.
    public static func collectFiles(_ paths: [String]) throws(DatadrivenError) -> [String] {
        let fm = FileManager.default
        var files: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard fm.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw DatadrivenError("no such file or directory: \(path)")
            }
            if !isDirectory.boolValue {
                files.append(path)
                continue
            }
            guard let enumerator = fm.enumerator(atPath: path) else {
                throw DatadrivenError("cannot read directory: \(path)")
            }
            var found: [String] = []
            while let relative = enumerator.nextObject() as? String {
                let name = (relative as NSString).lastPathComponent
                if name.hasPrefix(".") {
                    enumerator.skipDescendants()
                    continue
                }
                guard relative.hasSuffix(".txt") else { continue }
                let full = path.hasSuffix("/") ? path + relative : path + "/" + relative
                var isDir: ObjCBool = false
                if fm.fileExists(atPath: full, isDirectory: &isDir), !isDir.boolValue {
                    found.append(full)
                }
            }
            files += found.sorted()
        }
        return files
    }

    /// A file's kind: the name of the folder that contains it.
    ///
    /// etcd: the `testdata` folder's package.
    public static func kind(ofFile path: String) -> String {
        let absolute = URL(fileURLWithPath: path).standardizedFileURL
        return absolute.deletingLastPathComponent().lastPathComponent
    }

    /// Runs the file at `path` through the harness registered for its kind.
    ///
    /// datadriven: `RunTest`.
    public func run(file path: String) -> ConformanceFileResult {
        let kind = Self.kind(ofFile: path)
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            return ConformanceFileResult(
                path: path, kind: kind, passed: false, report: "cannot read file: \(error.localizedDescription)\n")
        }
        return run(text: text, path: path, kind: kind)
    }

    /// Runs the file at `path` and writes what the harness printed back into it as the expected
    /// output of every block (comments, directives and inputs are kept). The file is left alone
    /// when it cannot be read to the end or a block cannot be run. The result says whether the
    /// file already matched before the rewrite, and whether it was rewritten.
    ///
    /// datadriven: `RunTest` with `-rewrite`.
    public func rewrite(file path: String) -> ConformanceFileResult {
        let kind = Self.kind(ofFile: path)
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            return ConformanceFileResult(
                path: path, kind: kind, passed: false, report: "cannot read file: \(error.localizedDescription)\n")
        }
        switch registry.makeHarness(for: kind) {
        case .failure(let error):
            return ConformanceFileResult(path: path, kind: kind, passed: false, report: "\(error)\n")
        case .success(var harness):
            let (rewritten, result) = Datadriven.rewrite(text, sourceName: path) { testCase in
                try harness.handle(testCase)
            }
            guard let rewritten else {
                // Report the block that could not be run, not an earlier mere difference.
                let report = result.blocks.last { $0.error != nil }?.failureReport ?? result.failureReport
                return ConformanceFileResult(path: path, kind: kind, passed: false, report: report)
            }
            if rewritten != text {
                do {
                    try rewritten.write(toFile: path, atomically: true, encoding: .utf8)
                } catch {
                    return ConformanceFileResult(
                        path: path, kind: kind, passed: false,
                        report: "cannot write file: \(error.localizedDescription)\n")
                }
            }
            return ConformanceFileResult(
                path: path, kind: kind, passed: result.passed, report: result.failureReport,
                rewritten: rewritten != text)
        }
    }

    /// The file at `path` as our implementation plays it: its comments, commands and inputs, each
    /// command followed by what we printed (`Datadriven.transcript`), and which blocks printed
    /// something other than the file's expected output. Nothing is written.
    ///
    /// datadriven: none (ours).
    public func transcript(file path: String) -> ConformanceTranscript {
        let kind = Self.kind(ofFile: path)
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            return ConformanceTranscript(
                path: path, text: "", differing: [], error: "cannot read file: \(error.localizedDescription)")
        }
        switch registry.makeHarness(for: kind) {
        case .failure(let error):
            return ConformanceTranscript(path: path, text: "", differing: [], error: "\(error)")
        case .success(var harness):
            let (transcript, result) = Datadriven.transcript(text, sourceName: path) { testCase in
                try harness.handle(testCase)
            }
            let error = result.blocks.last { $0.error != nil }?.error ?? result.parseError.map { "\($0)" }
            return ConformanceTranscript(
                path: path, text: transcript,
                differing: result.blocks.filter { $0.error == nil && !$0.passed }.map(\.testCase.pos),
                error: error)
        }
    }

    /// Runs `text` (the contents of the file at `path`) through the harness for `kind`.
    ///
    /// datadriven: `RunTestFromString`.
    public func run(text: String, path: String, kind: String) -> ConformanceFileResult {
        switch registry.makeHarness(for: kind) {
        case .failure(let error):
            return ConformanceFileResult(path: path, kind: kind, passed: false, report: "\(error)\n")
        case .success(var harness):
            let result = Datadriven.run(text, sourceName: path) { testCase in
                try harness.handle(testCase)
            }
            return ConformanceFileResult(path: path, kind: kind, passed: result.passed, report: result.failureReport)
        }
    }
}
