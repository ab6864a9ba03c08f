import Testing
@testable import Raft

// The test network itself: links that drop messages (always or with a seeded probability),
// ignored message types, recovery, and the replay of a seeded run.

@Suite struct TestNetworkTests {
    /// A cut link delivers nothing either way; recovering heals it.
    @Test func cutAndRecover() throws {
        let net = try TestNetwork(fresh: 3)
        net.cut(1, 2)
        net.cut(1, 3)
        net.send(localMessage(.msgHup))
        #expect(net[1].state == .candidate)
        #expect(net[2].term == 0 && net[3].term == 0)
        net.recover()
        net.send(localMessage(.msgHup))
        #expect(net[1].state == .leader)
    }

    /// An ignored type is never delivered, until recovery.
    @Test func ignoredTypeIsNotDelivered() throws {
        let net = try TestNetwork(fresh: 3)
        net.ignore(.msgVote)
        net.send(localMessage(.msgHup))
        #expect(net[1].state == .candidate)
        net.recover()
        net.send(localMessage(.msgHup))
        #expect(net[1].state == .leader)
    }

    /// The hook sees every message and can drop it.
    @Test func hookFiltersMessages() throws {
        let net = try TestNetwork(fresh: 3)
        var seen: [MessageType] = []
        net.messageHook = { m in
            seen.append(m.type)
            return m.to != 3
        }
        net.send(localMessage(.msgHup))
        #expect(seen.contains(.msgVote) && seen.contains(.msgApp))
        #expect(net[1].state == .leader)
        #expect(net[3].term == 0)
    }

    /// Probabilistic drops are seeded: the same seed drops the same messages, and about the
    /// requested share is dropped.
    @Test func probabilisticDropsReplay() throws {
        func run(seed: UInt64) throws -> (delivered: Int, log: [String]) {
            let net = try TestNetwork(fresh: 3, seed: seed)
            net.send(localMessage(.msgHup))
            net.drop(from: 1, to: 2, rate: 0.5)
            var delivered = 0
            net.messageHook = { m in
                if m.type == .msgHeartbeat && m.to == 2 { delivered += 1 }
                return true
            }
            // Every beat sends node 2 exactly one heartbeat.
            for _ in 0..<200 { net.send(localMessage(.msgBeat)) }
            net.send(propMessage("after"))
            return (delivered, logSummary(net[2].raftLog))
        }
        let first = try run(seed: 42)
        let again = try run(seed: 42)
        #expect(first.delivered == again.delivered)
        #expect(first.log == again.log)
        #expect(first.delivered > 60 && first.delivered < 140)
        let other = try run(seed: 43)
        #expect(other.delivered > 60 && other.delivered < 140)
    }

    /// Replication survives lossy links: with a third of the messages to and from node 3 lost,
    /// heartbeats and retries eventually bring it up to date.
    @Test func replicationSurvivesLossyLinks() throws {
        let net = try TestNetwork(fresh: 3, seed: 9)
        net.send(localMessage(.msgHup))
        net.drop(from: 1, to: 3, rate: 0.3)
        net.drop(from: 3, to: 1, rate: 0.3)
        for k in 0..<20 { net.send(propMessage("v\(k)")) }
        net.recover()
        for _ in 0..<10 { net.send(localMessage(.msgBeat)) }
        #expect(net[3].raftLog.committed == net[1].raftLog.committed)
        #expect(net[3].raftLog.allEntries() == net[1].raftLog.allEntries())
        #expect(net[1].raftLog.committed == 21)
    }

    /// Black holes swallow messages and are not state machines.
    @Test func blackHolesAreSilent() throws {
        let net = try TestNetwork([.fresh, .blackHole, .blackHole])
        net.send(localMessage(.msgHup))
        #expect(net.peers[2] == nil && net.peers[3] == nil)
        #expect(net.ids == [1, 2, 3])
        #expect(net[1].state == .candidate)
    }
}
