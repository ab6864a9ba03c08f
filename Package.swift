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
        .library(name: "WorkbookKit", targets: ["WorkbookKit"]),
    ],
    targets: [
        // The integrated library: no Foundation, only the standard library and Synchronization.
        .target(name: "Raft"),
        // The datadriven runner and the harnesses that replay etcd's test files.
        .target(name: "RaftTesting", dependencies: ["Raft"]),
        .executableTarget(name: "raft-conformance", dependencies: ["RaftTesting"]),
        // Counts heap allocations for raft-bench (Linux/glibc); linked into nothing else.
        .target(name: "MallocCounter"),
        .executableTarget(name: "raft-bench", dependencies: ["Raft", "MallocCounter"]),
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
        .testTarget(name: "RaftTests", dependencies: ["Raft"]),
        .testTarget(name: "ConformanceTests", dependencies: ["RaftTesting", "Raft"]),
        .testTarget(name: "WorkbookTests", dependencies: ["WorkbookKit", "Raft"]),
    ],
    swiftLanguageModes: [.v6]
)
