import Raft

/// A simulated node's side of the Ready contract: its disk, its network link, its application.
///
/// A planned crash (`crashAfterNextPersist`) happens in `persist`: after the write lands, so that
/// nothing of the Ready is sent; or, with `tornWrites`, before it lands. The two are alike when
/// the handler persists before it sends; the second is what exposes a handler that sends first.
/// Once the node is down, the other duties do nothing.
struct SimReadyApplication: ReadyApplication {
    /// The node crashed while writing.
    struct Crashed: Error {}

    let simulator: Simulator
    let node: SimNode
    let raw: RawNode
    let tornWrites: Bool

    func persist(hardState: HardState, entries: [Entry], snapshot: Snapshot) throws {
        guard node.isUp else { throw Crashed() }
        if tornWrites && node.crashAfterNextPersist {
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
