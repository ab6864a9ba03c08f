import Testing
@testable import Raft

@Suite struct InflightsTests {
    /// etcd: TestInflightsAdd, TestInflightFreeTo (merged).
    @Test func addsFreesAndWrapsAround() {
        var ins = Inflights(size: 10, maxBytes: 0)
        for i in UInt64(0)..<5 { ins.add(i, bytes: 100 + i) }
        #expect(ins.count == 5 && !ins.full)
        #expect(ins.indexes == [0, 1, 2, 3, 4])
        for i in UInt64(5)..<10 { ins.add(i, bytes: 100 + i) }
        #expect(ins.full)
        #expect(ins.bytes == (0..<10).reduce(0) { $0 + 100 + $1 })

        ins.freeLE(4)
        #expect(ins.count == 5 && !ins.full)
        #expect(ins.indexes == [5, 6, 7, 8, 9])
        #expect(ins.bytes == (5..<10).reduce(0) { $0 + 100 + $1 })

        // These land in the slots freed at the front of the ring.
        for i in UInt64(10)..<15 { ins.add(i, bytes: 100 + i) }
        #expect(ins.full)
        #expect(ins.indexes == Array(5..<15))
        #expect(ins.capacity == 10)

        ins.freeLE(8)
        #expect(ins.indexes == Array(9..<15))
        ins.freeLE(12)
        #expect(ins.indexes == [13, 14])
        #expect(ins.bytes == 113 + 114)
        ins.add(15, bytes: 0)
        #expect(ins.indexes == [13, 14, 15])

        ins.freeLE(20)
        #expect(ins.count == 0 && ins.bytes == 0 && ins.indexes.isEmpty)
    }

    @Test func freeingBelowTheWindowDoesNothing() {
        var ins = Inflights(size: 4, maxBytes: 0)
        ins.freeLE(100)
        #expect(ins.count == 0)
        ins.add(10, bytes: 1)
        ins.add(20, bytes: 1)
        let before = ins
        ins.freeLE(9)
        #expect(ins == before)
        ins.freeLE(15)
        #expect(ins.indexes == [20])
    }

    /// etcd: TestInflightsFull.
    @Test func byteLimit() {
        var ins = Inflights(size: 10, maxBytes: 100)
        ins.add(1, bytes: 50)
        ins.add(2, bytes: 49)
        #expect(!ins.full && ins.bytes == 99)
        ins.add(3, bytes: 1)
        #expect(ins.full && ins.count == 3)
        ins.freeLE(1)
        #expect(!ins.full && ins.bytes == 50)
        // One message may exceed the limit on its own; the window is then full.
        ins.add(4, bytes: 500)
        #expect(ins.full)
        ins.freeLE(4)
        #expect(!ins.full && ins.bytes == 0)
    }

    @Test func bufferGrowsLazilyUpToTheSize() {
        var ins = Inflights(size: 10, maxBytes: 0)
        #expect(ins.capacity == 0)
        var capacities: [Int] = []
        for i in UInt64(1)...10 {
            ins.add(i, bytes: 0)
            capacities.append(ins.capacity)
        }
        #expect(capacities == [1, 2, 4, 4, 8, 8, 8, 8, 10, 10])
    }

    /// etcd: TestInflightsReset.
    @Test func resetEmptiesTheWindow() {
        var ins = Inflights(size: 3, maxBytes: 10)
        ins.add(1, bytes: 5)
        ins.add(2, bytes: 5)
        #expect(ins.full)
        ins.reset()
        #expect(ins.count == 0 && ins.bytes == 0 && !ins.full)
        ins.add(7, bytes: 1)
        #expect(ins.indexes == [7])
    }

    @Test func zeroSizeIsAlwaysFull() {
        #expect(Inflights(size: 0, maxBytes: 0).full)
    }

    @Test func copiesAreIndependent() {
        var a = Inflights(size: 4, maxBytes: 0)
        a.add(1, bytes: 1)
        var b = a
        b.add(2, bytes: 1)
        a.freeLE(1)
        #expect(a.indexes.isEmpty)
        #expect(b.indexes == [1, 2])
    }

    @Test func equalityIgnoresRingLayout() {
        var a = Inflights(size: 3, maxBytes: 0)
        var b = Inflights(size: 3, maxBytes: 0)
        for i in UInt64(1)...3 { a.add(i, bytes: 0) }
        a.freeLE(2)
        a.add(4, bytes: 0)  // wrapped
        b.add(3, bytes: 0)
        b.add(4, bytes: 0)
        #expect(a == b)
        b.add(5, bytes: 0)
        #expect(a != b)
    }

    @Test func addingToAFullWindowStopsTheProcess() async {
        await #expect(processExitsWith: .failure) {
            var ins = Inflights(size: 1, maxBytes: 0)
            ins.add(1, bytes: 0)
            ins.add(2, bytes: 0)
        }
    }
}
