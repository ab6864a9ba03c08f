// swift-tools-version: 6.0
// SwiftRaft Workbook: etcd's raft, faithfully, in Swift, and a workbook to study it.
// Depends on the Swift toolchain only.
import PackageDescription

let package = Package(
    name: "SwiftRaftWorkbook",
    products: [
        .library(name: "Raft", targets: ["Raft"]),
        .executable(name: "raft-conformance", targets: ["raft-conformance"]),
        .executable(name: "raft-bench", targets: ["raft-bench"]),
        .executable(name: "node-example", targets: ["node-example"]),
        .executable(name: "workbook", targets: ["workbook"]),
        .executable(name: "raftkv", targets: ["raftkv"]),
        .executable(name: "raft-sim", targets: ["raft-sim"]),
    ],
    targets: [
        // The integrated library: no Foundation, only the standard library and Synchronization.
        .target(name: "Raft"),
        // The datadriven runner and the harnesses that replay etcd's test files; the in-process
        // cluster of Nodes (LocalCluster) that the Node tests and node-example share.
        .target(name: "RaftTesting", dependencies: ["Raft"]),
        .executableTarget(name: "raft-conformance", dependencies: ["RaftTesting"]),
        // Counts heap allocations for raft-bench (Linux/glibc); linked into nothing else.
        .target(name: "MallocCounter"),
        .executableTarget(name: "raft-bench", dependencies: ["Raft", "MallocCounter"]),
        // A three-node cluster in one process, driven through Node: election and commits.
        .executableTarget(name: "node-example", dependencies: ["Raft", "RaftTesting"], exclude: ["README.md"]),
        // The chapters: their catalog, the scenario driver, one scenario per chapter (Foundation allowed).
        .target(name: "WorkbookKit", dependencies: ["Raft"]),
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
        // What each exercise asks (protocols and models), its checks and hints, and the reference
        // solutions: adapters over the real library. The learner does not edit it.
        .target(name: "WorkbookChecks", dependencies: ["Raft"]),
        // The learner's stubs, one file per chapter.
        .target(name: "Exercises", dependencies: ["Raft", "WorkbookChecks"]),
        // The workbook itself: chapters, progress, checks and hints (`swift run workbook`).
        .executableTarget(name: "workbook", dependencies: ["WorkbookKit", "WorkbookChecks", "Exercises"]),
        // raftexample as a real service: WAL, snapshots, TCP transport, HTTP API (Foundation and
        // Glibc sockets; the Raft module itself stays free of Foundation).
        .target(name: "RaftKV", dependencies: ["Raft"]),
        .executableTarget(name: "raftkv", dependencies: ["RaftKV"]),
        .testTarget(name: "RaftKVTests", dependencies: ["RaftKV", "Raft"]),
        // Clusters of RawNodes in virtual time under faults, with safety and liveness checks, and
        // a fuzzer of malformed messages; raft-sim runs seeds of it.
        .target(name: "RaftSimulation", dependencies: ["Raft"]),
        .executableTarget(name: "raft-sim", dependencies: ["RaftSimulation"], exclude: ["README.md"]),
        .testTarget(name: "RaftTests", dependencies: ["Raft", "RaftTesting"]),
        .testTarget(name: "RaftSimulationTests", dependencies: ["RaftSimulation", "Raft"]),
        .testTarget(name: "ConformanceTests", dependencies: ["RaftTesting", "Raft"]),
        .testTarget(name: "WorkbookTests", dependencies: ["WorkbookKit", "WorkbookChecks", "Exercises", "workbook", "Raft"]),
    ],
    swiftLanguageModes: [.v6]
)
