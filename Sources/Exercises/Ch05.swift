import Raft
import WorkbookChecks

/// Chapter 5, ReadIndex: linearizable reads without writing to the log.
///
/// Solve the exercises below, then check them with `swift run workbook check 5`. The questions
/// are documented on `Ch05Exercises`; the checks are in
/// `Sources/WorkbookChecks/Checks/Ch05Checks.swift`.
public struct Ch05: Ch05Exercises {
    public init() {}

    /// Exercise 5.1, acknowledgement counting: record a heartbeat acknowledgement and release the
    /// reads it confirms.
    ///
    /// Hint (`swift run workbook hint 5.1`): Find the read with this context; if there is none, nothing
    /// changes. Otherwise add `from` to its `acks` (any node: only the quorum test looks at who votes).
    /// When the acks hold a majority of the voters, the leader has proven it still led when that read
    /// arrived — and so also when every older read arrived: release the read and every read queued
    /// before it, oldest first, each with its own index, and keep the rest pending.
    public func receiveHeartbeatAck(voters: [UInt64], pending: [PendingRead], from: UInt64, context: String) -> ReadAckResult {
        // TODO(ch05): add the ack; at a quorum of voters, release this read and all older ones.
        ReadAckResult(released: [], pending: pending)
    }

    /// Exercise 5.2, when a read may be served: what a node does with a ReadIndex request.
    ///
    /// Hint (`swift run workbook hint 5.2`): Followers forward to the leader they know and drop the
    /// read otherwise; candidates drop it. A leader first asks: am I the only voter? Then my commit
    /// index is a quorum's and I answer now. Otherwise, have I committed an entry of my own term? If
    /// not, my commit index may be stale (Raft paper §8), so the read waits for that first commit. Then
    /// the option decides: .leaseBased answers at once, trusting the lease; .safe proves leadership
    /// first with a round of heartbeats carrying the read's context.
    public func readDecision(_ situation: ReadSituation) -> ReadDecision {
        // TODO(ch05): followers and candidates first; then, for a leader, three questions in order.
        .drop
    }
}
