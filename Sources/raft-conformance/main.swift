// raft-conformance: runs etcd's datadriven test files (or our own, in the same format) through the
// Swift implementation and reports, per file, whether the output matches byte for byte.
//
//     swift run raft-conformance ../shared/conformance/etcd
//
// Each argument is a file or a folder (searched recursively for *.txt). A file's kind is the name
// of its folder: quorum, confchange, interaction. Prints `PASS <path>` or `FAIL <path>` followed
// by the first differing block, then `N passed, M failed`. Exit status: 0 when everything passed,
// 1 when a file failed, 2 on bad arguments.
//
// With --rewrite, each file's expected outputs are replaced by what the implementation prints
// (like datadriven's -rewrite), for writing new scenarios; read the result before committing it.
// Files that differed are reported as REWRITTEN.
//
// With --print, nothing is checked or written: each file is printed as a transcript, its comments
// and commands each followed by what our implementation printed, to read a scenario's run. On
// standard error, which blocks differ from the file's expected output. Exit status 1 when a block
// could not be run.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import RaftSupport
import RaftTesting

func printError(_ message: String) {
    writeAll(message + "\n", to: 2)
}

let usage = """
    usage: raft-conformance [--rewrite | --print] <file-or-folder>...
      Runs datadriven conformance files; a folder is searched recursively for *.txt files.
      A file's kind is its folder's name (quorum, confchange, interaction).
      --rewrite  write the actual outputs into the files as their expected outputs
      --print    print each file with our output after each command (checks and writes nothing)
    """

var arguments = Array(CommandLine.arguments.dropFirst())
let rewriting = arguments.contains("--rewrite")
let printing = arguments.contains("--print")
arguments.removeAll { $0 == "--rewrite" || $0 == "--print" }
if arguments.contains("-h") || arguments.contains("--help") {
    print(usage)
    exit(0)
}
if arguments.isEmpty {
    printError(usage)
    exit(2)
}
if let option = arguments.first(where: { $0.hasPrefix("-") }) {
    printError("raft-conformance: unknown option \(option)\n\(usage)")
    exit(2)
}

let files: [String]
do {
    files = try ConformanceRunner.collectFiles(arguments)
} catch {
    printError("raft-conformance: \(error)")
    exit(2)
}
if files.isEmpty {
    printError("raft-conformance: no *.txt files found in \(arguments.joined(separator: " "))")
    exit(2)
}

if rewriting && printing {
    printError("raft-conformance: --rewrite and --print do not go together\n\(usage)")
    exit(2)
}

let runner = ConformanceRunner()
if printing {
    var broken = false
    for (n, file) in files.enumerated() {
        let transcript = runner.transcript(file: file)
        if files.count > 1 { print((n == 0 ? "" : "\n") + "# ==== \(file)") }
        print(transcript.text, terminator: "")
        if let error = transcript.error {
            broken = true
            printError("raft-conformance: \(file): stopped: \(error)")
        }
        if transcript.differing.isEmpty {
            if transcript.error == nil {
                printError("raft-conformance: \(file): every block printed what the file expects")
            }
        } else {
            printError(
                "raft-conformance: \(file): output differs from the file's at "
                    + transcript.differing.joined(separator: ", "))
        }
    }
    exit(broken ? 1 : 0)
}

var passed = 0
var failed = 0
var rewritten = 0
for file in files {
    let result = rewriting ? runner.rewrite(file: file) : runner.run(file: file)
    if result.passed {
        passed += 1
        print("PASS \(file)")
    } else if result.rewritten {
        rewritten += 1
        print("REWRITTEN \(file)")
    } else {
        failed += 1
        print("FAIL \(file)")
        for line in result.report.split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
            print("    \(line)")
        }
    }
}
if rewriting {
    print("\(passed) passed, \(rewritten) rewritten, \(failed) failed")
} else {
    print("\(passed) passed, \(failed) failed")
}
exit(failed == 0 ? 0 : 1)
