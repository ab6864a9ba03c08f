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

    private let queue = Locked<(events: [Event], closed: Bool)>(([], false))
    private let doorbell: AsyncStream<Void>.Continuation
    /// Rings when an event arrives in an empty mailbox (the events behind it do not ring).
    let rings: AsyncStream<Void>

    init(capacity: Int) {
        self.capacity = capacity
        (rings, doorbell) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Queues an event for the stepping task; false when it was dropped because the mailbox is
    /// full (or closed).
    @discardableResult
    func post(_ event: Event) -> Bool {
        let (queued, first) = queue.withLock { q -> (Bool, Bool) in
            guard !q.closed, q.events.count < capacity else { return (false, false) }
            q.events.append(event)
            return (true, q.events.count == 1)
        }
        // Only the first event of a batch rings: the others are taken with it by `takeAll`, which
        // runs after the ring that the first one caused. One wake-up per batch, not per message.
        if first { doorbell.yield() }
        return queued
    }

    /// Takes every waiting event, oldest first.
    func takeAll() -> [Event] {
        queue.withLock { q in
            defer { q.events.removeAll(keepingCapacity: true) }
            return q.events
        }
    }

    /// Refuses later events and ends `rings`.
    func close() {
        queue.withLock { $0.closed = true }
        doorbell.finish()
    }
}

/// The transport's messages and delivery reports, for the task that steps them.
typealias PeerEventMailbox = Mailbox<PeerEvent>
