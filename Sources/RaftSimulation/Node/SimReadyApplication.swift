import Raft

/// A simulated node's side of the Ready contract: its disk, its network link, its application.
///
/// A planned crash (`crashAfterNextPersist`) happens in `persist`: after the write lands, so that
/// nothing of the Ready is sent; or, with `tornWrites`, before it lands. The two are alike when
/// the handler persists before it sends; the second is what exposes a handler that sends first.
/// With `tornWrites`, a node may also crash while writing a vote (`Simulator.tornVoteCrash`): the
/// election crashes of the scenario, moved from just after the vote's write to during it. A torn
/// write after the handler already sent what the write was to make durable (an acknowledgement
/// of its entries, the vote it records) breaks that promise: `Simulator.checkTornWrite` reports it.
/// Once the node is down, the other duties do nothing.
struct SimReadyApplication: ReadyApplication {
    /// The node crashed while writing.
    struct Crashed: Error {}

    /// The messages sent so far while handling this Ready.
    final class Sent {
        var messages: [Message] = []
    }

    let simulator: Simulator
    let node: SimNode
    let raw: RawNode
    let sent = Sent()

    /// Whether the node runs the learner's Ready handler (whose torn writes the judge exposes).
    var tornWrites: Bool { simulator.yourHandleReady != nil }

    func persist(hardState: HardState, entries: [Entry], snapshot: Snapshot) throws {
        guard node.isUp else { throw Crashed() }
        if tornWrites && (node.crashAfterNextPersist || simulator.tornVoteCrash(node, hardState)) {
            simulator.checkTornWrite(node, hardState: hardState, entries: entries, snapshot: snapshot,
                                     sent: sent.messages)
            simulator.crash(node, afterPersist: true)
            throw Crashed()
        }
        guard simulator.persist(node, hardState: hardState, entries: entries, snapshot: snapshot) else { throw Crashed() }
        if node.crashAfterNextPersist {
            simulator.crash(node, afterPersist: true)
            throw Crashed()
        }
    }

    func send(_ messages: [Message]) {
        guard node.isUp else { return }
        if tornWrites { sent.messages.append(contentsOf: messages) }
        for m in messages { simulator.send(m) }
    }

    func apply(_ entries: [Entry]) {
        guard node.isUp else { return }
        simulator.apply(node, entries)
    }

    func serveReads(_ readStates: [ReadState]) {
        node.readStates.append(contentsOf: readStates)
        simulator.serveReads(node)
    }

    func advance(_ rd: Ready) {
        guard node.isUp, node.raw === raw else { return }
        raw.advance(rd)
        simulator.observe(node)
    }
}
