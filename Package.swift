// swift-tools-version: 6.0
// SwiftRaft Workbook: etcd's raft, faithfully, in Swift, and a workbook to study it.
// Depends on the Swift toolchain only.
import PackageDescription
import class Foundation.ProcessInfo

// The learner's code, chapter by chapter (Sources/Exercises/ChNN/YourCode), is compiled only when
// the `workbook` command asks for it: it sets WORKBOOK_CHAPTERS to the chapters that compile, so
// that one chapter's compile error neither stops another's check nor `swift build`/`swift test`,
// which never see the learner's files. WORKBOOK_VARIANT picks other sources for the same modules:
// `workbook prove` builds the stubs, the reference solutions and the recorded wrong ones.
let environment = ProcessInfo.processInfo.environment
let yourChapters = (environment["WORKBOOK_CHAPTERS"] ?? "").split(separator: ",").compactMap { Int($0) }
    .filter { (1...9).contains($0) }
let variants = ["YourCode", "Proof/Reference", "Proof/Wrong1", "Proof/Wrong2"]
let exerciseSources = variants.first { $0 == environment["WORKBOOK_VARIANT"] } ?? "YourCode"
func chapterModule(_ n: Int) -> String { "YoursCh0\(n)" }
/// A chapter's files that belong to the learner's module or to no module, not to ExerciseChecks.
func exerciseFiles(_ n: Int) -> [String] { ["YourCode", "Proof", "Plug.swift", "Hints.md"].map { "Ch0\(n)/\($0)" } }
let learnerTargets: [Target] = yourChapters.map { n in
    .target(name: chapterModule(n), dependencies: ["Raft", "ExerciseSupport"],
            path: "Sources/Exercises/Ch0\(n)",
            exclude: variants.filter { $0 != exerciseSources } + ["Ch0\(n)Checks.swift", "Hints.md"],
            sources: [exerciseSources, "Plug.swift"])
}

let package = Package(
    name: "SwiftRaftWorkbook",
    // What the code uses sets the floor: Synchronization's Mutex and Atomic (the workbook, the
    // simulator, node-example) and TaskExecutor (the workbook's scenario driver) arrived with
    // macOS 15, iOS 18, tvOS 18, watchOS 11 and visionOS 2.
    platforms: [.macOS(.v15), .iOS(.v18), .tvOS(.v18), .watchOS(.v11), .visionOS(.v2)],
    products: [
        .library(name: "Raft", targets: ["Raft"]),
        .executable(name: "raft-conformance", targets: ["raft-conformance"]),
        .executable(name: "raft-bench", targets: ["raft-bench"]),
        .executable(name: "node-example", targets: ["node-example"]),
        .executable(name: "workbook", targets: ["workbook"]),
        .executable(name: "workbook-judge", targets: ["workbook-judge"]),
        .executable(name: "raftkv", targets: ["raftkv-server"]),
        .executable(name: "raft-sim", targets: ["raft-sim"]),
    ],
    targets: [
        // What every other target shares, below all of them (as NIOConcurrencyHelpers is for NIO):
        // the lock, the seeded generator, Go's quoting, hex ids, unbuffered writes. No Foundation,
        // and only `package` declarations: nothing of it is public API.
        .target(name: "RaftSupport"),
        // The integrated library: no Foundation, only the standard library and RaftSupport, which
        // it re-exports so that the package's targets reach the lock through `import Raft`.
        .target(name: "Raft", dependencies: ["RaftSupport"]),
        // The datadriven runner and the harnesses that replay etcd's test files; the in-process
        // cluster of Nodes (LocalCluster) for the Node tests; the test support every test target
        // shares (CapturingLogger, waitUntil, MemoryStorage.persist).
        .target(name: "RaftTesting", dependencies: ["Raft", "RaftSupport"]),
        .executableTarget(name: "raft-conformance", dependencies: ["RaftTesting", "RaftSupport"]),
        // Counts heap allocations for raft-bench (Linux/glibc); linked into nothing else.
        .target(name: "MallocCounter"),
        .executableTarget(name: "raft-bench", dependencies: ["Raft", "MallocCounter"]),
        // A three-node cluster in one process, driven through Node: election and commits.
        .executableTarget(name: "node-example", dependencies: ["Raft", "RaftSupport", "RaftTesting"],
                          exclude: ["README.md"]),
        // The chapters: their catalog, the scenario driver (on a TaskExecutor of its own), one
        // scenario per chapter.
        .target(name: "WorkbookKit", dependencies: ["Raft", "RaftSupport"]),
        // One small program per chapter, printing its scenario: `swift run ch01-node-interface`.
        .executableTarget(name: "ch01-node-interface", dependencies: ["WorkbookKit"]),
        .executableTarget(name: "ch02-raft-roles", dependencies: ["WorkbookKit"]),
        .executableTarget(name: "ch03-ready-advance", dependencies: ["WorkbookKit"]),
        .executableTarget(name: "ch04-unstable-storage", dependencies: ["WorkbookKit"]),
        .executableTarget(name: "ch05-read-index", dependencies: ["WorkbookKit"]),
        .executableTarget(name: "ch06-log-replication", dependencies: ["WorkbookKit"]),
        .executableTarget(name: "ch07-snapshots", dependencies: ["WorkbookKit"]),
        .executableTarget(name: "ch08-membership", dependencies: ["WorkbookKit"]),
        .executableTarget(name: "ch09-leader-transfer", dependencies: ["WorkbookKit"]),
        // The exercises' machinery, one folder per chapter in Sources/Exercises: what the learner
        // calls from their code (`todo()`, and the guard that names an exercise that crashes)...
        .target(name: "ExerciseSupport", dependencies: ["RaftSupport"], path: "Sources/Exercises/Support"),
        // ... and the exercises' checks with the judges that run them (transcripts, simulator).
        .target(name: "ExerciseChecks",
                dependencies: ["Raft", "RaftSupport", "RaftTesting", "RaftSimulation", "ExerciseSupport"],
                path: "Sources/Exercises", exclude: ["Support"] + (1...9).flatMap(exerciseFiles),
                sources: ["Judge"] + (1...9).map { "Ch0\($0)/Ch0\($0)Checks.swift" }),
        // Runs the judges with the learner's chapters that compile plugged in (built by `workbook`).
        .executableTarget(name: "workbook-judge",
                          dependencies: ["ExerciseChecks", "ExerciseSupport", "WorkbookKit"]
                              + yourChapters.map { .target(name: chapterModule($0)) },
                          swiftSettings: yourChapters.map { .define("YOURS_CH0\($0)") }),
        // The workbook itself: chapters, progress, checks and hints (`swift run workbook`).
        .executableTarget(name: "workbook", dependencies: ["WorkbookKit", "ExerciseChecks", "RaftSupport"]),
        // raftexample as a real service: WAL, snapshots, TCP transport, HTTP API (Foundation and
        // the C library's sockets; the Raft module itself stays free of Foundation).
        .target(name: "RaftKV", dependencies: ["Raft"]),
        // The `raftkv` executable. Its folder is not Sources/raftkv: next to Sources/RaftKV, that name
        // differs only in case, which a case-insensitive file system (macOS's default) cannot hold.
        .executableTarget(name: "raftkv-server", dependencies: ["RaftKV"]),
        .testTarget(name: "RaftKVTests", dependencies: ["RaftKV", "Raft", "RaftTesting"]),
        // Clusters of RawNodes in virtual time under faults, with safety and liveness checks, and
        // a fuzzer of malformed messages; raft-sim runs seeds of it.
        .target(name: "RaftSimulation", dependencies: ["Raft", "RaftSupport"]),
        .executableTarget(name: "raft-sim", dependencies: ["RaftSimulation", "Raft", "RaftSupport"], exclude: ["README.md"]),
        .testTarget(name: "RaftTests", dependencies: ["Raft", "RaftTesting"]),
        .testTarget(name: "RaftSimulationTests", dependencies: ["RaftSimulation", "Raft"]),
        .testTarget(name: "ConformanceTests", dependencies: ["RaftTesting", "Raft"]),
        .testTarget(name: "WorkbookTests", dependencies: ["WorkbookKit", "ExerciseChecks", "ExerciseSupport", "workbook",
                                                         "Raft", "RaftTesting"]),
    ] + learnerTargets,
    swiftLanguageModes: [.v6]
)
