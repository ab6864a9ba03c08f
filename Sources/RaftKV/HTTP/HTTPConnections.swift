/// The HTTP server's open connections, each with what it is doing and since when, so that a
/// full server makes room for a new client by closing the connection that has waited longest
/// without a request being handled (idle between requests, or sending its request head slowly)
/// rather than turning the new client away. Only when every connection is busy with a request
/// is the newcomer refused.
///
/// Slow or idle clients (one byte a second, or nothing) therefore cannot lock working clients
/// out, however many they open: each new connection displaces the oldest of them.
struct HTTPConnections {
    enum Phase {
        /// Waiting for a request to start, or reading one.
        case waiting
        /// A request is in the handler, or its response is being written.
        case handling
    }

    let capacity: Int
    private var phases: [Int32: (phase: Phase, since: ContinuousClock.Instant)] = [:]

    init(capacity: Int) { self.capacity = capacity }

    var all: [Int32] { Array(phases.keys) }

    enum Admission: Equatable {
        case admitted
        /// Admitted after closing this connection to make room.
        case admittedClosing(Int32)
        case refused
    }

    mutating func admit(_ fd: Int32, now: ContinuousClock.Instant = .now) -> Admission {
        if phases.count < capacity {
            phases[fd] = (.waiting, now)
            return .admitted
        }
        let waiting = phases.filter { $0.value.phase == .waiting }
        guard let oldest = waiting.min(by: { $0.value.since < $1.value.since })?.key else { return .refused }
        phases[oldest] = nil
        phases[fd] = (.waiting, now)
        return .admittedClosing(oldest)
    }

    /// Records what `fd` now does, and since when if that changed (ignored once it was closed to
    /// make room). Saying again that a connection waits (the event loop does at every read) keeps
    /// its age: a client trickling its head a byte at a time has waited since its last answer.
    mutating func set(_ fd: Int32, _ phase: Phase, now: ContinuousClock.Instant = .now) {
        guard let old = phases[fd], old.phase != phase else { return }
        phases[fd] = (phase, now)
    }

    mutating func remove(_ fd: Int32) { phases[fd] = nil }
}
