import Testing
@testable import Raft

/// Regression: a configuration that sets both size limits to 0 must run. etcd
/// takes `MaxCommittedSizePerReady = 0` from `MaxSizePerMsg = 0` and then panics at the first
/// committed entry ("applying entry size (0-0)=0 not positive"); here 0 means one entry per Ready,
/// as it means one entry per message for `maxSizePerMsg`. Found by raft-sim (seed 1).
@Suite struct ZeroSizeLimitTests {
    @Test func zeroLimitsMeanOneCommittedEntryPerReady() throws {
        var c = Config(id: 1, electionTick: 10, heartbeatTick: 1, storage: MemoryStorage())
        c.maxSizePerMsg = 0
        try c.validate()
        #expect(c.maxSizePerMsg == 0)
        #expect(c.maxCommittedSizePerReady == 1)

        let storage = MemoryStorage()
        var config = Config(id: 1, electionTick: 10, heartbeatTick: 1, storage: storage)
        config.logger = DiscardLogger()
        config.maxSizePerMsg = 0
        let node = try RawNode(config: config)
        try node.bootstrap([Peer(id: 1)])
        var applied: [Entry] = []
        var batches: [Int] = []
        func drain() throws {
            while node.hasReady() {
                let rd = node.ready()
                try storage.append(rd.entries)
                if !rd.hardState.isEmpty { storage.setHardState(rd.hardState) }
                for e in rd.committedEntries where e.type == .entryConfChange {
                    _ = try node.applyConfChange(ConfChange(unmarshaling: e.data))
                }
                applied += rd.committedEntries
                if !rd.committedEntries.isEmpty { batches.append(rd.committedEntries.count) }
                node.advance(rd)
            }
        }
        try drain()
        // Campaign once the bootstrap conf change is applied (raft refuses before).
        try node.campaign()
        try drain()
        for k in 0..<3 { try node.propose([UInt8(k)]) }
        try drain()
        // The bootstrap conf change, the leader's empty entry, then the three proposals.
        #expect(applied.map(\.index) == [1, 2, 3, 4, 5])
        #expect(applied.suffix(3).map(\.data) == [[0], [1], [2]])
        #expect(batches.allSatisfy { $0 == 1 })
    }
}
