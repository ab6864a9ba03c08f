import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Raft
import RaftTesting
import Testing
@testable import RaftKV

/// A fresh directory under the system's temporary directory, removed by `cleanup`.
struct TempDir {
    let path: String

    init(_ name: String = "raftkv-test") {
        path = Demo.makeTemporaryDirectory(name)
    }

    func cleanup() { try? FileManager.default.removeItem(atPath: path) }
}

func entry(_ index: UInt64, term: UInt64 = 1, _ data: String = "") -> Entry {
    Entry(term: term, index: index, data: Array(data.utf8))
}

func appendBytes(_ path: String, _ bytes: [UInt8]) throws {
    let h = try #require(FileHandle(forWritingAtPath: path))
    h.seekToEndOfFile()
    h.write(Data(bytes))
    try h.close()
}

func fileSize(_ path: String) -> Int {
    ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int) ?? -1
}
