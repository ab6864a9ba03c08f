import Raft

/// Makes random and malformed messages for a node: every message type (local ones too), any
/// term, indexes before, at and far beyond its log, entries with gaps, going backwards or
/// repeating, conf changes valid and garbled, snapshots with odd metadata, senders it has never
/// heard of. Values are biased towards the edges where bugs live (0, the node's own positions
/// plus or minus one, `UInt64.max`).
public struct MessageFuzzer {
    private var r: SimRandom
    /// The node the messages are for, and the peers it knows.
    public let target: UInt64
    public let peers: [UInt64]

    public init(seed: UInt64, target: UInt64, peers: [UInt64]) {
        r = SimRandom(seed: seed, stream: 20, target)
        self.target = target
        self.peers = peers
    }

    /// What the fuzzer knows about the node, to aim near its positions.
    public struct View {
        public var term: UInt64
        public var commit: UInt64
        public var firstIndex: UInt64
        public var lastIndex: UInt64

        public init(term: UInt64, commit: UInt64, firstIndex: UInt64, lastIndex: UInt64) {
            self.term = term
            self.commit = commit
            self.firstIndex = firstIndex
            self.lastIndex = lastIndex
        }
    }

    public mutating func next(_ v: View) -> Message {
        let type = r.pick(MessageType.allCases) ?? .msgApp
        var m = Message(type: type, to: r.chance(0.9) ? target : sender(), from: sender())
        m.term = term(v)
        m.index = index(v)
        m.logTerm = r.chance(0.7) ? max(1, m.term &- UInt64(r.int(0...2))) : term(v)
        m.commit = index(v)
        m.vote = r.chance(0.5) ? 0 : sender()
        m.reject = r.chance(0.3)
        m.rejectHint = index(v)
        m.context = context()
        if r.chance(type == .msgApp || type == .msgProp || type == .msgReadIndex || type == .msgReadIndexResp ? 0.8 : 0.2) {
            m.entries = entries(after: m.index, term: m.term, v)
        }
        if r.chance(type == .msgSnap || type == .msgStorageAppend || type == .msgStorageAppendResp ? 0.8 : 0.05) {
            m.snapshot = snapshot(v)
        }
        if r.chance(type.isLocal ? 0.5 : 0.05) {
            for _ in 0..<r.int(0...2) {
                let t = r.pick(MessageType.allCases) ?? .msgAppResp
                m.responses.append(Message(type: t, to: r.chance(0.5) ? target : sender(), from: sender(),
                                           term: term(v), index: index(v), entries: entries(after: index(v), term: term(v), v)))
            }
        }
        return m
    }

    private mutating func sender() -> UInt64 {
        switch r.int(0...9) {
        case 0: return 0
        case 1: return target
        case 2: return [PeerID.localAppendThread, PeerID.localApplyThread, 99, 1 << 40][r.int(0...3)]
        default: return r.pick(peers) ?? 1
        }
    }

    private mutating func term(_ v: View) -> UInt64 {
        switch r.int(0...9) {
        case 0: return 0
        case 1: return v.term &- 1
        case 2, 3, 4: return v.term
        case 5, 6: return v.term &+ 1
        case 7: return v.term &+ UInt64(r.int(2...1000))
        case 8: return .max
        default: return r.next() >> UInt64(r.int(0...63))
        }
    }

    private mutating func index(_ v: View) -> UInt64 {
        switch r.int(0...11) {
        case 0: return 0
        case 1: return v.commit &- 1
        case 2: return v.commit
        case 3: return v.commit &+ 1
        case 4: return v.lastIndex
        case 5: return v.lastIndex &+ 1
        case 6: return v.lastIndex &+ UInt64(r.int(2...1000))
        case 7: return v.firstIndex &- 1
        case 8: return v.firstIndex &- UInt64(r.int(2...5))
        case 9: return .max
        case 10: return .max - 1
        default: return UInt64(r.int(0...Int(min(v.lastIndex &+ 10, 1 << 20))))
        }
    }

    private mutating func context() -> [UInt8] {
        switch r.int(0...4) {
        case 0: return Array("CampaignTransfer".utf8)
        case 1: return (0..<r.int(1...12)).map { _ in UInt8(truncatingIfNeeded: r.next()) }
        default: return []
        }
    }

    /// Entries after `index`: in order, or with a gap, going backwards, repeated, at index 0 or
    /// at the very end of the index space, with terms above the message's.
    private mutating func entries(after index: UInt64, term: UInt64, _ v: View) -> [Entry] {
        let n = r.int(0...4)
        var out: [Entry] = []
        var i = index &+ 1
        for k in 0..<n {
            var t = r.chance(0.8) ? term : self.term(v)
            if r.chance(0.1) { t &+= 1 }
            out.append(entry(term: t, index: i))
            switch r.int(0...9) {
            case 0: i &+= UInt64(r.int(2...4))  // a gap
            case 1: i &-= 1  // the same index again
            case 2: i &-= UInt64(r.int(2...3))  // backwards
            case 3 where k == 0: i = [0, .max, .max - 1][r.int(0...2)]
            default: i &+= 1
            }
        }
        return out
    }

    private mutating func entry(term: UInt64, index: UInt64) -> Entry {
        switch r.int(0...9) {
        case 0:
            // A valid conf change for some node.
            let id = r.pick(peers + [99]) ?? 1
            let type = ConfChangeType.allCases[r.int(0...3)]
            if r.chance(0.5) {
                return Entry(term: term, index: index, type: .entryConfChange, data: ConfChange(type: type, nodeID: id).marshal())
            }
            let cc = ConfChangeV2(transition: ConfChangeTransition.allCases[r.int(0...2)],
                                  changes: (0..<r.int(0...3)).map { _ in
                                      ConfChangeSingle(type: ConfChangeType.allCases[r.int(0...3)], nodeID: r.pick(peers + [99]) ?? 1)
                                  })
            return Entry(term: term, index: index, type: .entryConfChangeV2, data: cc.marshal())
        case 1:
            // A garbled conf change.
            let type: EntryType = r.chance(0.5) ? .entryConfChange : .entryConfChangeV2
            return Entry(term: term, index: index, type: type, data: (0..<r.int(0...9)).map { _ in UInt8(truncatingIfNeeded: r.next()) })
        default:
            return Entry(term: term, index: index, data: (0..<r.int(0...8)).map { _ in UInt8(truncatingIfNeeded: r.next()) })
        }
    }

    /// A snapshot with plausible or odd metadata: index 0, behind the commit index, far ahead,
    /// at `UInt64.max`; a membership without this node, with a node both voter and learner,
    /// joint, empty.
    private mutating func snapshot(_ v: View) -> Snapshot {
        var md = SnapshotMetadata()
        md.index = index(v)
        md.term = term(v)
        let all = peers + [target]
        switch r.int(0...7) {
        case 0: md.confState = ConfState()
        case 1: md.confState = ConfState(voters: peers.filter { $0 != target })
        case 2: md.confState = ConfState(voters: all, learners: [target])
        case 3: md.confState = ConfState(voters: all, votersOutgoing: [target, 99], learnersNext: [99], autoLeave: r.chance(0.5))
        case 4: md.confState = ConfState(voters: [target], learnersNext: [7])
        case 5: md.confState = ConfState(voters: all + all)
        default: md.confState = ConfState(voters: all)
        }
        let data: [UInt8] = (0..<r.int(0...8)).map { _ in UInt8(truncatingIfNeeded: r.next()) }
        return Snapshot(data: data, metadata: md)
    }
}
