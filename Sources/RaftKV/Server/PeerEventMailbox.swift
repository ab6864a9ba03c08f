import Raft

/// Carries the transport threads' events (messages and delivery reports) to the one task that
/// steps them into raft, in order.
///
/// A queue behind a pthread lock, with an `AsyncStream` only as the doorbell that wakes the task.
/// The events themselves could travel through the stream, but on Linux the stream locks with
/// futexes the thread sanitizer cannot see: a message decoded on a transport thread and read by
/// the stepping task then looks like a data race. Taking events out under `Locked` gives the
/// ordering the sanitizer can check.
final class PeerEventMailbox: Sendable {
    /// The most events waiting; later ones are dropped (raft retransmits what is lost).
    let capacity: Int

    private let queue = Locked<(events: [PeerEvent], closed: Bool, oldestPostedAt: ContinuousClock.Instant?)>(([], false, nil))
    private let doorbell: AsyncStream<Void>.Continuation
    /// Rings after events were posted (several posts may ring once).
    let rings: AsyncStream<Void>

    init(capacity: Int) {
        self.capacity = capacity
        (rings, doorbell) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Queues an event for the stepping task; false when it was dropped because the mailbox is
    /// full (or closed).
    @discardableResult
    func post(_ event: PeerEvent) -> Bool {
        let queued = queue.withLock { q -> Bool in
            guard !q.closed, q.events.count < capacity else { return false }
            if q.events.isEmpty { q.oldestPostedAt = .now }
            q.events.append(event)
            return true
        }
        if queued { doorbell.yield() }
        return queued
    }

    /// Takes every waiting event, oldest first.
    func takeAll() -> [PeerEvent] {
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
