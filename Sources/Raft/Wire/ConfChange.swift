/// What a single membership change does to one node.
///
/// etcd: `raftpb.ConfChangeType`.
public enum ConfChangeType: UInt8, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Make the node a voter (adding it, or promoting a learner).
    case confChangeAddNode = 0
    /// Remove the node from the configuration.
    case confChangeRemoveNode = 1
    /// Change nothing in the configuration; the application may update the node's address.
    case confChangeUpdateNode = 2
    /// Make the node a learner (adding it, or demoting a voter).
    case confChangeAddLearnerNode = 3

    public var description: String {
        switch self {
        case .confChangeAddNode: "ConfChangeAddNode"
        case .confChangeRemoveNode: "ConfChangeRemoveNode"
        case .confChangeUpdateNode: "ConfChangeUpdateNode"
        case .confChangeAddLearnerNode: "ConfChangeAddLearnerNode"
        }
    }
}

/// How a `ConfChangeV2` moves between configurations.
///
/// etcd: `raftpb.ConfChangeTransition`.
public enum ConfChangeTransition: UInt8, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// A single change is made directly; several changes go through a joint configuration that is
    /// left automatically.
    case auto = 0
    /// Always use a joint configuration, left automatically once committed.
    case jointImplicit = 1
    /// Always use a joint configuration, and stay in it until the application proposes an empty
    /// `ConfChangeV2` to leave it.
    case jointExplicit = 2

    public var description: String {
        switch self {
        case .auto: "ConfChangeTransitionAuto"
        case .jointImplicit: "ConfChangeTransitionJointImplicit"
        case .jointExplicit: "ConfChangeTransitionJointExplicit"
        }
    }
}

/// Either kind of conf change, so raft can treat both alike.
///
/// etcd: `raftpb.ConfChangeI`.
public protocol ConfChangeI: Sendable {
    /// The same change as a `ConfChangeV2`.
    func asV2() -> ConfChangeV2
    /// The change as a legacy `ConfChange`, when it is one.
    func asV1() -> ConfChange?
}

/// The legacy conf change: one node, one change, no joint consensus.
///
/// `id` is an optional protobuf field that raft never sets (etcd's server uses it): `idIfSet`
/// keeps whether it was set, so that a change built without it encodes without it, as etcd's
/// does. The type and node id are always encoded (raft and etcd's harness always set them), and
/// the context when it is not empty.
///
/// etcd: `raftpb.ConfChange`.
public struct ConfChange: ConfChangeI, Hashable {
    public var type: ConfChangeType
    public var nodeID: UInt64
    /// Opaque to raft; applications often carry the node's address here.
    public var context: [UInt8]
    /// The id as it was set, `nil` when the change was built without one.
    public var idIfSet: UInt64?

    /// Unused by raft; kept for wire compatibility. 0 when unset; setting it marks it as set.
    ///
    /// etcd: `ConfChange.GetId`.
    public var id: UInt64 {
        get { idIfSet ?? 0 }
        set { idIfSet = newValue }
    }

    public init(type: ConfChangeType = .confChangeAddNode, nodeID: UInt64 = 0, context: [UInt8] = [], id: UInt64? = nil) {
        self.type = type
        self.nodeID = nodeID
        self.context = context
        self.idIfSet = id
    }

    /// The same change as a `ConfChangeV2`, without a transition (read as `.auto`).
    ///
    /// etcd: `ConfChange.AsV2`.
    public func asV2() -> ConfChangeV2 {
        ConfChangeV2(changes: [ConfChangeSingle(type: type, nodeID: nodeID)], context: context)
    }

    public func asV1() -> ConfChange? { self }

    /// Equal when they read the same, whether or not `id` was set (presence changes only the size).
    public static func == (a: ConfChange, b: ConfChange) -> Bool {
        a.type == b.type && a.nodeID == b.nodeID && a.context == b.context && a.id == b.id
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(type)
        hasher.combine(nodeID)
        hasher.combine(context)
        hasher.combine(id)
    }
}

/// One change to one node, inside a `ConfChangeV2`.
///
/// etcd: `raftpb.ConfChangeSingle`.
public struct ConfChangeSingle: Sendable, Hashable {
    public var type: ConfChangeType
    public var nodeID: UInt64

    public init(type: ConfChangeType = .confChangeAddNode, nodeID: UInt64 = 0) {
        self.type = type
        self.nodeID = nodeID
    }
}

/// A set of changes applied together, through joint consensus when needed. The empty change with
/// the `.auto` transition leaves a joint configuration.
///
/// `transition` is an optional protobuf field: `transitionIfSet` keeps whether it was set, so
/// that a change built without it (a v1 change converted by `asV2`) encodes without it, as in
/// etcd. The context is encoded when it is not empty.
///
/// etcd: `raftpb.ConfChangeV2`.
public struct ConfChangeV2: ConfChangeI, Hashable {
    /// The transition as it was set, `nil` when the change was built without one.
    public var transitionIfSet: ConfChangeTransition?
    public var changes: [ConfChangeSingle]
    public var context: [UInt8]

    /// `transitionIfSet`, or `.auto` when unset. Setting it marks it as set.
    ///
    /// etcd: `ConfChangeV2.GetTransition`.
    public var transition: ConfChangeTransition {
        get { transitionIfSet ?? .auto }
        set { transitionIfSet = newValue }
    }

    public init(transition: ConfChangeTransition? = nil, changes: [ConfChangeSingle] = [], context: [UInt8] = []) {
        self.transitionIfSet = transition
        self.changes = changes
        self.context = context
    }

    /// Equal when they read the same, whether or not the transition was set.
    public static func == (a: ConfChangeV2, b: ConfChangeV2) -> Bool {
        a.transition == b.transition && a.changes == b.changes && a.context == b.context
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(transition)
        hasher.combine(changes)
        hasher.combine(context)
    }

    public func asV2() -> ConfChangeV2 { self }

    public func asV1() -> ConfChange? { nil }

    /// Whether this change goes through a joint configuration (`ok`), and if so whether that
    /// configuration is left automatically (`autoLeave`, false whenever `ok` is).
    ///
    /// A change is joint when it asks for it explicitly or touches more than one node.
    ///
    /// etcd: `ConfChangeV2.EnterJoint`.
    public func enterJoint() -> (autoLeave: Bool, ok: Bool) {
        guard transition != .auto || changes.count > 1 else { return (false, false) }
        return (transition != .jointExplicit, true)
    }

    /// Whether this is the empty change that leaves a joint configuration (context aside).
    ///
    /// etcd: `ConfChangeV2.LeaveJoint`.
    public var leavesJoint: Bool { transition == .auto && changes.isEmpty }
}
