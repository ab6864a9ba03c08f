import RaftTesting
import Testing
@testable import Raft

/// The log layer's suites (Unstable, MemoryStorage, RaftLog), grouped so that
/// `swift test --filter Log` runs them all.
@Suite struct LogLayerTests {}

/// Builders and a line-recording logger shared by the log layer's tests.
enum LogFixture {
    /// Entries at consecutive indexes from `index`, with the given terms (no payload).
    static func entries(at index: UInt64, terms: UInt64...) -> [Entry] {
        entries(at: index, termList: terms)
    }

    /// Entries at consecutive indexes from `index`, with the given terms (no payload).
    static func entries(at index: UInt64, termList: [UInt64]) -> [Entry] {
        termList.enumerated().map { k, term in Entry(term: term, index: index + UInt64(k)) }
    }

    /// Entries at indexes `range` whose term equals their index.
    static func selfTermed(_ range: Range<UInt64>) -> [Entry] {
        range.map { Entry(term: $0, index: $0) }
    }

    /// Entries at consecutive indexes from `index`, with terms `terms` in order.
    static func entries(at index: UInt64, termRange terms: Range<UInt64>) -> [Entry] {
        entries(at: index, termList: Array(terms))
    }

    /// A snapshot at (`index`, `term`) with no data and an empty membership.
    static func snapshot(index: UInt64, term: UInt64) -> Snapshot {
        Snapshot(metadata: SnapshotMetadata(index: index, term: term))
    }

    /// A storage holding a snapshot at (`index`, `term`), then `entries`.
    static func storage(snapshotAt index: UInt64, term: UInt64, entries: [Entry] = []) throws -> MemoryStorage {
        let storage = MemoryStorage()
        try storage.applySnapshot(snapshot(index: index, term: term))
        try storage.append(entries)
        return storage
    }
}
