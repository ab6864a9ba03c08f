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
        .testTarget(name: "RaftTests", dependencies: ["Raft"]),
        .testTarget(name: "ConformanceTests", dependencies: ["RaftTesting", "Raft"]),
    ],
    swiftLanguageModes: [.v6]
)
