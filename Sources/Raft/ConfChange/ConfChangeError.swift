/// Why a configuration change was refused. The change is validated before it touches the active
/// configuration, so a refused change leaves the cluster as it was.
///
/// The description is etcd's error text, word for word, because transcripts print it.
///
/// etcd: the errors returned by `confchange.Changer`.
public struct ConfChangeError: Error, Sendable, Hashable, CustomStringConvertible {
    /// etcd's error text.
    ///
    /// etcd: `error.Error()`.
    public var description: String

    /// An error with etcd's text `description`.
    ///
    /// etcd: `errors.New` / `fmt.Errorf` in `confchange`.
    public init(_ description: String) {
        self.description = description
    }

    /// Entering a joint configuration while already in one.
    ///
    /// etcd: `EnterJoint`'s error.
    public static let alreadyJoint = ConfChangeError("config is already joint")
    /// Entering a joint configuration from one without voters.
    ///
    /// etcd: `EnterJoint`'s error.
    public static let zeroVoterJoint = ConfChangeError("can't make a zero-voter config joint")
    /// Leaving a joint configuration while not in one.
    ///
    /// etcd: `LeaveJoint`'s error.
    public static let leaveNonJoint = ConfChangeError("can't leave a non-joint config")
    /// A simple (non-joint) change while joint.
    ///
    /// etcd: `Simple`'s error.
    public static let simpleInJoint = ConfChangeError("can't apply simple config change in joint config")
    /// A simple change that changes more than one voter; that needs joint consensus.
    ///
    /// etcd: `Simple`'s error.
    public static let moreThanOneVoterChanged = ConfChangeError(
        "more than one voter changed without entering joint config")
    /// A change leaving the incoming configuration without voters.
    ///
    /// etcd: `Changer.apply`'s error.
    public static let removedAllVoters = ConfChangeError("removed all voters")
}
