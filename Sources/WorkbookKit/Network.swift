import Raft

/// The scenario's network: messages in flight, in the order they were sent, and which nodes are
/// cut off from the rest.
///
/// Nothing is delivered by itself: the cluster takes messages off and steps them into their
/// recipients, so a scenario decides exactly when (and whether) each one arrives.
struct Network {
    /// Sent and not yet delivered, oldest first.
    private(set) var inFlight: [Message] = []
    /// Nodes that can reach no one and that no one can reach.
    var isolated: Set<UInt64> = []

    mutating func send(_ messages: [Message]) { inFlight += messages }

    /// Whether a message between these two nodes would be lost.
    func isCut(_ m: Message) -> Bool {
        isolated.contains(m.from) || isolated.contains(m.to)
    }

    /// Removes and returns the messages in flight, oldest first, except those `held` matches:
    /// those stay in flight, like messages on a slow link.
    mutating func take(holding held: Hold) -> [Message] {
        let taken = inFlight.filter { !held.matches($0) }
        inFlight.removeAll { !held.matches($0) }
        return taken
    }

    /// Forgets every message to or from `id`, as when that node crashes.
    mutating func dropAll(involving id: UInt64) {
        inFlight.removeAll { $0.from == id || $0.to == id }
    }
}

/// Which messages in flight a scenario holds back for now (a slow link): they are delivered by a
/// later call that no longer holds them.
public struct Hold: Sendable {
    let matches: @Sendable (Message) -> Bool

    /// Holds the messages for which `matches` is true.
    public init(_ matches: @escaping @Sendable (Message) -> Bool) { self.matches = matches }

    /// Holds nothing.
    public static let nothing = Hold { _ in false }

    /// Holds every message to these nodes.
    public static func messages(to ids: Set<UInt64>) -> Hold { Hold { ids.contains($0.to) } }

    /// Holds the appends (`MsgApp`) to these nodes; everything else reaches them.
    public static func appends(to ids: Set<UInt64>) -> Hold { Hold { ids.contains($0.to) && $0.type == .msgApp } }
}
