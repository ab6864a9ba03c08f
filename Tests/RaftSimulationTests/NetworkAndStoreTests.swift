import Raft
import Testing
@testable import RaftSimulation

@Suite struct NetworkAndStoreTests {
    @Test func messagesArriveByDueTimeThenSendingOrder() {
        var n = Network()
        n.send(Message(type: .msgApp, to: 2, from: 1, index: 1), fate: Fate(delay: 3), now: 0)
        n.send(Message(type: .msgApp, to: 2, from: 1, index: 2), fate: Fate(delay: 1), now: 0)
        n.send(Message(type: .msgApp, to: 2, from: 1, index: 3), fate: Fate(delay: 1, duplicateDelay: 5), now: 0)
        n.send(Message(type: .msgApp, to: 2, from: 1, index: 4), fate: Fate(drop: true), now: 0)
        var order: [(UInt64, Bool)] = []
        for now in 0...5 {
            while let f = n.nextDue(now: now) { order.append((f.message.index, f.isCopy)) }
            if now == 0 { #expect(order.isEmpty) }
            if now == 1 { #expect(order.map(\.0) == [2, 3]) }
        }
        #expect(order.map(\.0) == [2, 3, 1, 3])
        #expect(order.map(\.1) == [false, false, false, true])
        #expect(n.inFlightCount == 0)
    }

    @Test func partitionsAndOneWayCuts() {
        var n = Network()
        n.partition([[1, 2], [3]], nodes: [1, 2, 3, 4])
        #expect(n.isOpen(1, 2) && n.isOpen(2, 1))
        #expect(!n.isOpen(1, 3) && !n.isOpen(3, 2))
        #expect(!n.isOpen(4, 1) && !n.isOpen(1, 4))
        n.heal()
        n.cutOneWay(1, 2)
        #expect(!n.isOpen(1, 2) && n.isOpen(2, 1))
    }

    @Test func fatesAndActionsReadBackTheirText() throws {
        for f in [Fate(drop: true), Fate(delay: 0), Fate(delay: 3, duplicateDelay: 9)] {
            #expect(Fate(parsing: Substring(f.description)) == f)
        }
        let actions: [Action] = [
            .crash(2), .crashAfterPersist(3), .restart(2), .partition([[1, 2], [3]]), .cut(1, 3), .heal,
            .propose(node: 1, write: 17, size: 4), .read(node: 2, read: 5),
            .confChange(node: 1, ConfChangeSpec(legacy: true, changes: [ConfChangeSingle(type: .confChangeRemoveNode, nodeID: 3)])),
            .confChange(node: 1, ConfChangeSpec(transition: .jointExplicit, changes: [
                ConfChangeSingle(type: .confChangeAddNode, nodeID: 4), ConfChangeSingle(type: .confChangeAddLearnerNode, nodeID: 2)])),
            .confChange(node: 1, ConfChangeSpec(changes: [])),
            .transfer(leader: 1, to: 2), .compact(node: 3, keep: 5), .campaign(2), .forgetLeader(3),
        ]
        for a in actions { #expect(Action(parsing: Substring(a.description)) == a, "\(a)") }
        #expect(Action(parsing: "explode 3") == nil)
        #expect(throws: ScheduleParseError.self) { try Schedule(parsing: "seed 1\nsteps 10\n@3 fly away\n") }
    }

    /// A restarted node sees exactly what was persisted: snapshot, compacted log and hard state.
    @Test func durableStoreRebuildsRaftsView() throws {
        var store = DurableStore()
        store.install(Snapshot(data: AppState().snapshotData,
                               metadata: SnapshotMetadata(confState: ConfState(voters: [1, 2, 3]), index: 1, term: 1)))
        store.append((2...10).map { Entry(term: 2, index: UInt64($0), data: [UInt8($0)]) })
        store.append([Entry(term: 3, index: 8), Entry(term: 3, index: 9)])
        #expect(store.lastIndex == 9)
        store.app.appliedIndex = 6
        store.app.confState = ConfState(voters: [1, 2, 3])
        let compacted = store.snapshotAndCompact(keep: 2)
        let (snap, compactTo) = try #require(compacted)
        #expect(snap.metadata.index == 6 && snap.metadata.term == 2)
        #expect(compactTo == 4)
        let m = try store.makeMemoryStorage(hardState: HardState(term: 3, vote: 2, commit: 7))
        #expect(m.firstIndex() == 5 && m.lastIndex() == 9)
        #expect(try m.term(9) == 3 && m.term(7) == 2)
        #expect(m.snapshot().metadata.index == 6)
        #expect(m.hardState == HardState(term: 3, vote: 2, commit: 7))
    }
}
