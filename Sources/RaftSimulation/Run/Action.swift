import Raft

/// A membership change as the workload proposes it: a legacy `ConfChange` (one change) or a
/// `ConfChangeV2` with its transition.
public struct ConfChangeSpec: Sendable, Hashable, CustomStringConvertible {
    public var legacy: Bool
    public var transition: ConfChangeTransition
    public var changes: [ConfChangeSingle]

    public init(legacy: Bool = false, transition: ConfChangeTransition = .auto, changes: [ConfChangeSingle]) {
        self.legacy = legacy && changes.count == 1
        self.transition = transition
        self.changes = changes
    }

    /// The change in raft's terms.
    public var confChange: any ConfChangeI {
        if legacy, let only = changes.first { return ConfChange(type: only.type, nodeID: only.nodeID) }
        return ConfChangeV2(transition: transition, changes: changes)
    }

    /// Whether this is the empty change that leaves a joint configuration.
    public var leavesJoint: Bool { !legacy && changes.isEmpty }

    /// `v1 r3` for a legacy change; `v2 auto v4 r1`, `v2 explicit l2` for a V2 one.
    public var description: String {
        let list = changes.compactDescription
        if legacy { return "v1 " + list }
        let t: String
        switch transition {
        case .auto: t = "auto"
        case .jointImplicit: t = "implicit"
        case .jointExplicit: t = "explicit"
        }
        return list.isEmpty ? "v2 \(t)" : "v2 \(t) \(list)"
    }

    /// Parses `description`.
    init?(parsing words: ArraySlice<Substring>) {
        guard let version = words.first else { return nil }
        var rest = words.dropFirst()
        if version == "v1" {
            legacy = true
            transition = .auto
        } else if version == "v2", let t = rest.first {
            legacy = false
            switch t {
            case "auto": transition = .auto
            case "implicit": transition = .jointImplicit
            case "explicit": transition = .jointExplicit
            default: return nil
            }
            rest = rest.dropFirst()
        } else {
            return nil
        }
        guard let parsed = try? ConfChangeSingle.parse(rest.joined(separator: " ")) else { return nil }
        changes = parsed
        if legacy && changes.count != 1 { return nil }
    }
}

/// Something that happens to the cluster from outside raft at a given step: a fault, or a
/// client's or operator's request. A run is its scenario plus the actions of every step plus the
/// fate of every message, which is what a trace records and what a replay feeds back.
public enum Action: Sendable, Hashable, CustomStringConvertible {
    /// The node loses everything not yet durable: raft's memory, unhandled Ready work, queued
    /// storage writes, the application's state after its last checkpoint.
    case crash(UInt64)
    /// The node persists its next Ready and crashes before sending its messages or applying.
    case crashAfterPersist(UInt64)
    /// The node starts again from what it persisted.
    case restart(UInt64)
    /// Symmetric partition: nodes in different groups cannot reach each other. Nodes in no group
    /// are cut off from everyone.
    case partition([[UInt64]])
    /// One-way cut: messages from the first node to the second are lost.
    case cut(UInt64, UInt64)
    /// Every link works again.
    case heal
    /// A client proposes write `write` (a payload of `size` extra bytes) through node `node`.
    case propose(node: UInt64, write: UInt64, size: Int)
    /// A client asks node `node` for a linearizable read.
    case read(node: UInt64, read: UInt64)
    /// An operator proposes a membership change through node `node`.
    case confChange(node: UInt64, ConfChangeSpec)
    /// An operator asks node `leader` to hand leadership to `to`.
    case transfer(leader: UInt64, to: UInt64)
    /// The node snapshots its durable application state and compacts its log, keeping `keep`
    /// entries before the snapshot index.
    case compact(node: UInt64, keep: Int)
    /// An operator tells the node to campaign now.
    case campaign(UInt64)
    /// An operator tells the node to forget its leader.
    case forgetLeader(UInt64)

    public var description: String {
        switch self {
        case .crash(let n): "crash \(n)"
        case .crashAfterPersist(let n): "crash-after-persist \(n)"
        case .restart(let n): "restart \(n)"
        case .partition(let groups): "partition " + groups.map { $0.map(String.init).joined(separator: ",") }.joined(separator: "|")
        case .cut(let from, let to): "cut \(from)>\(to)"
        case .heal: "heal"
        case .propose(let n, let w, let size): "propose \(n) w\(w) size=\(size)"
        case .read(let n, let r): "read \(n) r\(r)"
        case .confChange(let n, let cc): "confchange \(n) \(cc)"
        case .transfer(let from, let to): "transfer \(from)>\(to)"
        case .compact(let n, let keep): "compact \(n) keep=\(keep)"
        case .campaign(let n): "campaign \(n)"
        case .forgetLeader(let n): "forget-leader \(n)"
        }
    }

    /// Parses `description`; nil when the text is not an action.
    public init?(parsing text: Substring) {
        let words = text.split(separator: " ")
        guard let verb = words.first else { return nil }
        func id(_ k: Int) -> UInt64? { k < words.count ? UInt64(words[k]) : nil }
        func tagged(_ k: Int, _ prefix: Character) -> UInt64? {
            guard k < words.count, words[k].first == prefix else { return nil }
            return UInt64(words[k].dropFirst())
        }
        func option(_ k: Int, _ name: String) -> Int? {
            guard k < words.count, words[k].hasPrefix(name + "=") else { return nil }
            return Int(words[k].dropFirst(name.count + 1))
        }
        func pair(_ k: Int) -> (UInt64, UInt64)? {
            guard k < words.count else { return nil }
            let parts = words[k].split(separator: ">")
            guard parts.count == 2, let a = UInt64(parts[0]), let b = UInt64(parts[1]) else { return nil }
            return (a, b)
        }
        switch verb {
        case "crash": guard let n = id(1) else { return nil }; self = .crash(n)
        case "crash-after-persist": guard let n = id(1) else { return nil }; self = .crashAfterPersist(n)
        case "restart": guard let n = id(1) else { return nil }; self = .restart(n)
        case "partition":
            guard words.count == 2 else { return nil }
            var groups: [[UInt64]] = []
            for g in words[1].split(separator: "|") {
                let ids = g.split(separator: ",").compactMap { UInt64($0) }
                groups.append(ids)
            }
            self = .partition(groups)
        case "cut": guard let (a, b) = pair(1) else { return nil }; self = .cut(a, b)
        case "heal": self = .heal
        case "propose":
            guard let n = id(1), let w = tagged(2, "w"), let size = option(3, "size") else { return nil }
            self = .propose(node: n, write: w, size: size)
        case "read": guard let n = id(1), let r = tagged(2, "r") else { return nil }; self = .read(node: n, read: r)
        case "confchange":
            guard let n = id(1), let cc = ConfChangeSpec(parsing: words[2...]) else { return nil }
            self = .confChange(node: n, cc)
        case "transfer": guard let (a, b) = pair(1) else { return nil }; self = .transfer(leader: a, to: b)
        case "compact": guard let n = id(1), let keep = option(2, "keep") else { return nil }; self = .compact(node: n, keep: keep)
        case "campaign": guard let n = id(1) else { return nil }; self = .campaign(n)
        case "forget-leader": guard let n = id(1) else { return nil }; self = .forgetLeader(n)
        default: return nil
        }
    }

    /// Whether this action is a fault (as opposed to a client's or operator's request).
    public var isFault: Bool {
        switch self {
        case .crash, .crashAfterPersist, .restart, .partition, .cut, .heal: true
        default: false
        }
    }
}
