import Raft

/// What happened in a run, for the violation report: the last events before it went wrong.
///
/// Kept as a ring of plain values and only turned into text when printed, so that recording costs
/// little on the runs (nearly all of them) that never print anything. Message deliveries are only
/// recorded when `verbose`, which the report turns on to replay the shortened schedule.
struct Trace: Sendable {
    enum Event: Sendable {
        case action(Action)
        case phase(Phase)
        case role(node: UInt64, term: UInt64, state: StateType, lead: UInt64)
        case started(UInt64)
        case restarted(node: UInt64, hardState: HardState, applied: UInt64)
        case crashed(UInt64)
        case removed(UInt64)
        case committed(node: UInt64, index: UInt64)
        case delivered(Message, copy: Bool)
        case dropped(Message, reason: String)
        case readServed(node: UInt64, read: UInt64, index: UInt64)
        case writeAcknowledged(node: UInt64, write: UInt64, index: UInt64)
        case note(String)
    }

    struct Record: Sendable {
        var step: Int
        var event: Event
    }

    let capacity: Int
    var verbose: Bool
    private var ring: [Record] = []
    private var next = 0

    init(capacity: Int, verbose: Bool) {
        self.capacity = capacity
        self.verbose = verbose
        ring.reserveCapacity(capacity)
    }

    mutating func add(_ step: Int, _ event: Event) {
        if ring.count < capacity {
            ring.append(Record(step: step, event: event))
        } else {
            ring[next] = Record(step: step, event: event)
            next = (next + 1) % capacity
        }
    }

    /// The records kept, oldest first.
    var records: [Record] {
        ring.count < capacity ? ring : Array(ring[next...] + ring[..<next])
    }

    /// The last `limit` records as text, one per line.
    func lines(limit: Int) -> [String] {
        records.suffix(limit).map { "@\($0.step) " + Trace.describe($0.event) }
    }

    static func describe(_ e: Event) -> String {
        switch e {
        case .action(let a): "> \(a)"
        case .phase(.calm): "-- calm: every member up, network whole and reliable, no faults"
        case .phase(.chaos): "-- chaos: faults resume"
        case .role(let n, let term, let state, let lead):
            "n\(n) \(state) at term \(term)" + (lead != 0 && state != .leader ? " (leader \(lead))" : "")
        case .started(let n): "n\(n) started (new member, empty disk)"
        case .restarted(let n, let hs, let applied):
            "n\(n) restarted: term \(hs.term) vote \(hs.vote) commit \(hs.commit), applied \(applied)"
        case .crashed(let n): "n\(n) crashed"
        case .removed(let n): "n\(n) removed from the cluster and stopped"
        case .committed(let n, let index): "n\(n) commit \(index)"
        case .delivered(let m, let copy): (copy ? "copy " : "") + m.description
        case .dropped(let m, let reason): "lost (\(reason)): \(m.description)"
        case .readServed(let n, let r, let index): "n\(n) served read r\(r) at index \(index)"
        case .writeAcknowledged(let n, let w, let index): "n\(n) acknowledged write w\(w) (index \(index))"
        case .note(let s): s
        }
    }
}
