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
        // Clusters of RawNodes in virtual time under faults, with safety and liveness checks, and
        // a fuzzer of malformed messages; raft-sim runs seeds of it.
        .target(name: "RaftSimulation", dependencies: ["Raft"]),
        .executableTarget(name: "raft-sim", dependencies: ["RaftSimulation"], exclude: ["README.md"]),
        .testTarget(name: "RaftTests", dependencies: ["Raft", "RaftTesting"]),
        .testTarget(name: "RaftSimulationTests", dependencies: ["RaftSimulation", "Raft"]),
        .testTarget(name: "ConformanceTests", dependencies: ["RaftTesting", "Raft"]),
    ],
    swiftLanguageModes: [.v6]
)
