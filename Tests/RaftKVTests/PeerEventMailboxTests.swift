import Foundation
import Testing
import Raft
@testable import RaftKV

/// The mailbox's record of how long its oldest event has waited, which the node's watchdog reads
/// to tell a stalled stepping task from a silent network (Notes/reliability.md).
@Suite struct PeerEventMailboxTests {
    /// Nothing waits in an empty mailbox; the age counts from the first event posted into an
    /// empty one (not the latest), and taking the events resets it.
    @Test func waitingAgeCountsFromTheOldestEventUntilTaken() {
        let mailbox = PeerEventMailbox(capacity: 8)
        #expect(mailbox.waiting() == nil)
        let before = ContinuousClock.now
        mailbox.post(.unreachable(2))
        usleep(20_000)
        mailbox.post(.unreachable(3))
        let waiting = mailbox.waiting()
        #expect(waiting?.count == 2)
        if let since = waiting?.since {
            #expect(since >= before)
            #expect(ContinuousClock.now - since >= .milliseconds(20))
        }
        #expect(mailbox.takeAll().count == 2)
        #expect(mailbox.waiting() == nil)
    }
}
