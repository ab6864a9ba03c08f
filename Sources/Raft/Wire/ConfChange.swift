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
    /// What to do with the node: add it as a voter or a learner, remove it, or update it.
    public var type: ConfChangeType
    /// The node the change is about.
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

    /// A conf change; by default adding node 0 as a voter (etcd's zero value), with no id set.
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

    /// Itself: it is already the legacy form.
    public func asV1() -> ConfChange? { self }

    /// Equal when they read the same, whether or not `id` was set (presence changes only the size).
    public static func == (a: ConfChange, b: ConfChange) -> Bool {
        a.type == b.type && a.nodeID == b.nodeID && a.context == b.context && a.id == b.id
    }

    /// Hashes what `==` compares.
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
    /// What to do with the node.
    public var type: ConfChangeType
    /// The node the change is about.
    public var nodeID: UInt64

    /// A change; by default adding node 0 as a voter (etcd's zero value).
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
    /// How to go through the joint configuration, when the changes need one, `nil` when unset.
    public var transitionIfSet: ConfChangeTransition?
    /// The changes, applied together; none (with `.auto`) leaves a joint configuration.
    public var changes: [ConfChangeSingle]
    /// Opaque to raft; carried in the entry for the application.
    public var context: [UInt8]

    /// `transitionIfSet`, or `.auto` when unset. Setting it marks it as set.
    ///
    /// etcd: `ConfChangeV2.GetTransition`.
    public var transition: ConfChangeTransition {
        get { transitionIfSet ?? .auto }
        set { transitionIfSet = newValue }
    }

    /// A set of changes; by default none, which leaves a joint configuration.
    public init(transition: ConfChangeTransition? = nil, changes: [ConfChangeSingle] = [], context: [UInt8] = []) {
        self.transitionIfSet = transition
        self.changes = changes
        self.context = context
    }

    /// Equal when they read the same, whether or not the transition was set (presence changes only the size).
    public static func == (a: ConfChangeV2, b: ConfChangeV2) -> Bool {
        a.transition == b.transition && a.changes == b.changes && a.context == b.context
    }

    /// Hashes what `==` compares.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(transition)
        hasher.combine(changes)
        hasher.combine(context)
    }

    /// Itself: it is already the V2 form.
    public func asV2() -> ConfChangeV2 { self }

    /// Always nil: a V2 change has no legacy form, even with a single change.
    public func asV1() -> ConfChange? { nil }

    /// Whether this change goes through a joint configuration: `nil` when it does not; otherwise
    /// whether raft leaves that configuration by itself once it is committed (`autoLeave`).
    ///
    /// A change is joint when it asks for it explicitly or touches more than one node.
    ///
    /// etcd: `ConfChangeV2.EnterJoint`, whose `(autoLeave, ok)` pair is an optional here.
    package func enterJoint() -> Bool? {
        guard transition != .auto || changes.count > 1 else { return nil }
        return transition != .jointExplicit
    }

    /// Whether this is the empty change that leaves a joint configuration (context aside).
    ///
    /// etcd: `ConfChangeV2.LeaveJoint`.
    package var leavesJoint: Bool { transition == .auto && changes.isEmpty }
}
