import Raft

/// Carries events from the threads that produce them (the transport's readers, the HTTP
/// threads) to the one task that steps them into raft, in order and in batches.
///
/// A queue behind a pthread lock, with an `AsyncStream` only as the doorbell that wakes the task.
/// The events themselves could travel through the stream, but on Linux the stream locks with
/// futexes the thread sanitizer cannot see: a message decoded on a transport thread and read by
/// the stepping task then looks like a data race. Taking events out under `Locked` gives the
/// ordering the sanitizer can check.
final class Mailbox<Event: Sendable>: Sendable {
    /// The most events waiting; later ones are dropped (raft retransmits what is lost).
    let capacity: Int

    private let queue = Locked<(events: [Event], closed: Bool, oldestPostedAt: ContinuousClock.Instant?)>(([], false, nil))
    private let doorbell: AsyncStream<Void>.Continuation
    /// Rings when an event arrives in an empty mailbox (the events behind it do not ring).
    let rings: AsyncStream<Void>

    init(capacity: Int) {
        self.capacity = capacity
        (rings, doorbell) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Queues an event for the stepping task; false when it was dropped because the mailbox is
    /// full (or closed). With `ring: false` the task is not woken: the poster takes the events
    /// itself soon (`takeAll`), and the task only gets what is handed back with `requeue`.
    @discardableResult
    func post(_ event: Event, ring: Bool = true) -> Bool {
        let (queued, first) = queue.withLock { q -> (Bool, Bool) in
            guard !q.closed, q.events.count < capacity else { return (false, false) }
            if q.events.isEmpty { q.oldestPostedAt = .now }
            q.events.append(event)
            return (true, q.events.count == 1)
        }
        // Only the first event of a batch rings: the others are taken with it by `takeAll`, which
        // runs after the ring that the first one caused. One wake-up per batch, not per message.
        if first && ring { doorbell.yield() }
        return queued
    }

    /// Puts events taken with `takeAll` back in front of those that came since, and wakes the
    /// task: for a poster that could not step them without waiting.
    func requeue(_ events: [Event]) {
        guard !events.isEmpty else { return }
        let queued = queue.withLock { q -> Bool in
            guard !q.closed else { return false }
            if q.events.isEmpty { q.oldestPostedAt = .now }
            q.events.insert(contentsOf: events, at: 0)
            return true
        }
        if queued { doorbell.yield() }
    }

    /// Takes every waiting event, oldest first.
    func takeAll() -> [Event] {
        queue.withLock { q in
            defer {
                q.events.removeAll(keepingCapacity: true)
                q.oldestPostedAt = nil
            }
            return q.events
        }
    }

    /// How many events wait and since when the oldest does; nil when none waits. A watchdog
    /// reads it to tell a stalled stepping task (events pile up unread) from a network that
    /// delivers nothing (none wait), which the raft log alone cannot tell apart.
    func waiting() -> (count: Int, since: ContinuousClock.Instant)? {
        queue.withLock { q in q.oldestPostedAt.map { (q.events.count, $0) } }
    }

    /// Refuses later events and ends `rings`.
    func close() {
        queue.withLock { $0.closed = true }
        doorbell.finish()
    }
}

/// The transport's messages and delivery reports, for the task that steps them.
typealias PeerEventMailbox = Mailbox<PeerEvent>
