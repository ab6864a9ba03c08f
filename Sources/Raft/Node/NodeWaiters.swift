/// A proposal on its way into raft: the message, and whether its caller wants raft's verdict.
///
/// `propose` reports the verdict (`RaftError.proposalDropped`...), as etcd's `Propose` does
/// through `stepWait`; conf changes and forwarded proposals do not, as etcd's `ProposeConfChange`
/// and `Step` do not, so their refusals are only logged.
struct Proposal: Sendable {
    var message: Message
    let reportsVerdict: Bool
}

/// A proposal suspended until the node knows a leader, with the continuation that receives raft's
/// verdict once the node steps it (or `.stopped`, `.cancelled`).
///
/// The waiter carries its proposal, so that whoever makes the leader known steps the waiting
/// proposals at once, under the lock and oldest first (as etcd's loop takes them off `propc` in
/// order), instead of each woken task racing the others back to the lock.
struct ProposalWaiter {
    /// Lets the waiter's cancellation handler find it (or nothing, once it was resumed).
    let ticket: Int
    let proposal: Proposal
    let continuation: CheckedContinuation<Void, any Error>
}

/// A consumer of `readies` suspended until a Ready is due; nil ends its sequence.
struct ReadyWaiter {
    /// Lets the waiter's cancellation handler find it (or nothing, once it was resumed).
    let ticket: Int
    let continuation: CheckedContinuation<Ready?, Never>
}

/// Continuations to resume once `Node`'s lock is released, with what each receives.
///
/// Collected under the lock, resumed outside it: resuming a continuation schedules its task, and
/// doing that with the lock held would make the woken task's first step a wait for the lock.
struct Wakeups {
    /// Waiting proposals that were stepped (nil: raft took them) or refused.
    var proposals: [(CheckedContinuation<Void, any Error>, RaftError?)] = []
    /// Waiting consumers with their Ready (nil: their sequence ends).
    var readies: [(CheckedContinuation<Ready?, Never>, Ready?)] = []

    /// Resumes every collected continuation; call it with the lock released.
    func resume() {
        for (c, verdict) in proposals {
            if let verdict { c.resume(throwing: verdict) } else { c.resume() }
        }
        for (c, rd) in readies { c.resume(returning: rd) }
    }
}
