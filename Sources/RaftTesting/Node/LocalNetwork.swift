import Raft
import RaftSupport

/// An in-process network between `Node`s: each node has an inbox, and a task per inbox steps the
/// messages into the node in the order they were sent. Nodes can be cut off from the others.
///
/// Proposals forwarded by followers travel in a lane of their own, as in etcd's transport
/// (rafthttp keeps separate channels for them): a proposal that arrives while its recipient knows
/// no leader waits in `Node.step`, and must not hold up the messages that would tell it of one.
///
/// etcd: the role of `rafthttp.Transport` in etcd's server, or of `network` in raft's own tests.
public final class LocalNetwork: Sendable {
    private struct Inbox: Sendable {
        let proposals: AsyncStream<Message>.Continuation
        let others: AsyncStream<Message>.Continuation
    }

    private struct State {
        var inboxes: [UInt64: Inbox] = [:]
        var isolated: Set<UInt64> = []
        var delivery: [Task<Void, Never>] = []
    }

    private let state = Locked(State())

    public init() {}

    /// Connects `node` as `id`: from now on, messages to `id` are stepped into it.
    public func connect(_ id: UInt64, _ node: Node) {
        let (proposals, proposalInput) = AsyncStream.makeStream(of: Message.self)
        let (others, otherInput) = AsyncStream.makeStream(of: Message.self)
        let tasks = [
            Task { await self.deliver(proposals, to: node) },
            Task { await self.deliver(others, to: node) },
        ]
        state.withLock { s in
            s.inboxes[id] = Inbox(proposals: proposalInput, others: otherInput)
            s.delivery += tasks
        }
    }

    /// Queues `messages` for their recipients; messages to or from an isolated node, or to an
    /// unknown one, are dropped, as a real network would lose them.
    public func send(_ messages: [Message]) {
        state.withLock { s in
            for m in messages {
                guard !s.isolated.contains(m.from), !s.isolated.contains(m.to),
                    let inbox = s.inboxes[m.to]
                else { continue }
                let lane = m.type == .msgProp ? inbox.proposals : inbox.others
                lane.yield(m)
            }
        }
    }

    /// Cuts `id` off: messages from and to it are dropped, including those already queued.
    public func isolate(_ id: UInt64) {
        state.withLock { _ = $0.isolated.insert(id) }
    }

    /// Reconnects every isolated node.
    public func heal() {
        state.withLock { $0.isolated = [] }
    }

    /// Stops delivering: the inboxes close, and this returns once their tasks have ended.
    public func close() async {
        let tasks = state.withLock { s in
            for inbox in s.inboxes.values {
                inbox.proposals.finish()
                inbox.others.finish()
            }
            s.inboxes = [:]
            return s.delivery
        }
        for t in tasks { await t.value }
    }

    private func deliver(_ inbox: AsyncStream<Message>, to node: Node) async {
        for await m in inbox {
            let cut = state.withLock { s in s.isolated.contains(m.from) || s.isolated.contains(m.to) }
            if cut { continue }
            // Throws only once the node stopped: nothing more will be delivered to it.
            do { try await node.step(m) } catch { return }
        }
    }
}
