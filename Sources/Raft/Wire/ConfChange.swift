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
/// etcd: `raftpb.ConfChange`.
public struct ConfChange: ConfChangeI, Hashable {
    public var type: ConfChangeType
    public var nodeID: UInt64
    /// Opaque to raft; applications often carry the node's address here.
    public var context: [UInt8]
    /// Unused by raft; kept for wire compatibility.
    public var id: UInt64

    public init(type: ConfChangeType = .confChangeAddNode, nodeID: UInt64 = 0, context: [UInt8] = [], id: UInt64 = 0) {
        self.type = type
        self.nodeID = nodeID
        self.context = context
        self.id = id
    }

    public func asV2() -> ConfChangeV2 {
        ConfChangeV2(changes: [ConfChangeSingle(type: type, nodeID: nodeID)], context: context)
    }

    public func asV1() -> ConfChange? { self }
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
/// etcd: `raftpb.ConfChangeV2`.
public struct ConfChangeV2: ConfChangeI, Hashable {
    public var transition: ConfChangeTransition
    public var changes: [ConfChangeSingle]
    public var context: [UInt8]

    public init(transition: ConfChangeTransition = .auto, changes: [ConfChangeSingle] = [], context: [UInt8] = []) {
        self.transition = transition
        self.changes = changes
        self.context = context
    }

    public func asV2() -> ConfChangeV2 { self }

    public func asV1() -> ConfChange? { nil }

    /// Whether this change goes through a joint configuration: `nil` when it does not; otherwise
    /// whether raft leaves that configuration by itself once it is committed (`autoLeave`).
    ///
    /// A change is joint when it asks for it explicitly or touches more than one node.
    ///
    /// etcd: `ConfChangeV2.EnterJoint`, whose `(autoLeave, ok)` pair is an optional here.
    public func enterJoint() -> Bool? {
        guard transition != .auto || changes.count > 1 else { return nil }
        return transition != .jointExplicit
    }

    /// Whether this is the empty change that leaves a joint configuration (context aside).
    ///
    /// etcd: `ConfChangeV2.LeaveJoint`.
    public var leavesJoint: Bool { transition == .auto && changes.isEmpty }
}
