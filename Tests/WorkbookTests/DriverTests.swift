import Raft
import Testing
@testable import WorkbookKit

/// The scenario driver's own pieces.
@Suite struct DriverTests {
    @Test func keyValueStoreSnapshotRoundTrip() {
        var store = KeyValueStore()
        let applied = [store.apply(Array("y=2".utf8)), store.apply(Array("x=1=one".utf8)), store.apply([])]
        #expect(applied == [true, true, false])
        #expect(store.description == "{x=1=one, y=2}")
        #expect(KeyValueStore(snapshotData: store.snapshotData) == store)
    }

    @Test func heldMessagesStayInFlight() {
        var network = Network()
        network.send([Message(type: .msgApp, to: 3, from: 1), Message(type: .msgHeartbeat, to: 3, from: 1),
                      Message(type: .msgApp, to: 2, from: 1)])
        let taken = network.take(holding: .appends(to: [3]))
        #expect(taken.map(\.to) == [3, 2])
        #expect(network.inFlight.map(\.type) == [.msgApp])
        network.isolated = [2]
        #expect(network.isCut(Message(to: 2, from: 1)))
        #expect(!network.isCut(Message(to: 3, from: 1)))
    }

    @Test func mermaidLabelsAreShortAndSafe() {
        let m = Message(type: .msgApp, to: 2, from: 1, term: 2, logTerm: 1, index: 3,
                        entries: [Entry(term: 2, index: 4), Entry(term: 2, index: 5)], commit: 3)
        #expect(Mermaid.label(m) == "MsgApp Term:2 Log:1/3 Commit:3 Entries:[4-5]")
        #expect(Mermaid.clean("a;b#c") == "a b c")
    }

    /// The trace keeps quiet stretches out of the narration and the diagram, but not their marks.
    @Test func quietlyKeepsMarks() {
        let trace = Trace()
        trace.join(1)
        trace.join(2)
        trace.quietly {
            trace.say("hidden")
            trace.message(Message(type: .msgHeartbeat, to: 2, from: 1), lost: false)
            trace.mark(1, "leader at term 1")
        }
        #expect(trace.narration == "  * node 1: leader at term 1\n")
        #expect(Mermaid.sequenceDiagram(trace)
            == "sequenceDiagram\n    participant N1 as node 1\n    participant N2 as node 2\n    Note over N1: leader at term 1\n")
    }

    /// A cluster elects the node that campaigns and replicates a proposal to everyone.
    @Test func clusterReplicates() throws {
        let cluster = try Cluster(voters: [1, 2, 3], trace: Trace())
        try cluster.campaign(1)
        try cluster.stabilize()
        try cluster.expectLeader(1)
        #expect(try cluster.propose(2, "x=1"))
        try cluster.stabilize()
        for id in cluster.ids { #expect(try cluster.server(id).store["x"] == "1") }
        #expect(try cluster.layout(1) == "snapshot=1 first=2 applied=3 committed=3 stabled=3 last=3")
    }
}
