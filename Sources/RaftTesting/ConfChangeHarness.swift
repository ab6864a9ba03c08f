import Raft

/// Runs etcd's confchange test files: `simple`, `enter-joint [autoleave=bool]` and `leave-joint`
/// apply the changes given as input (`v1 l2 r3 u4`: make 1 a voter, 2 a learner, remove 3,
/// update 4) to the configuration left by the previous blocks, and print the resulting
/// configuration and progress map, or the error. The last index grows by one with every block,
/// so a progress's `next` tells in which block it was created.
///
/// etcd: `confchange/datadriven_test.go`.
public struct ConfChangeHarness: DatadrivenHarness {
    /// The configuration carried from block to block.
    ///
    /// etcd: the test's `confchange.Changer` over `MakeProgressTracker(10, 0)`.
    package private(set) var changer = Changer(tracker: ProgressTracker(maxInflight: 10, maxBytes: 0), lastIndex: 0)

    /// A harness starting from the empty configuration at last index 0.
    ///
    /// etcd: the setup at the start of `TestConfChangeDataDriven`'s walk.
    public init() {}

    /// The learner's pieces to judge (the workbook's); an empty `Parts` runs the library's code.
    ///
    /// etcd: none (ours).
    package var parts = Parts()

    /// A harness judging the conf change rules with `parts` plugged in.
    package init(parts: Parts) { self.parts = parts }

    /// Runs one block and returns its output (etcd's exact text); throws on malformed arguments.
    ///
    /// etcd: the closure passed to `datadriven.RunTest` in `TestConfChangeDataDriven`.
    public mutating func handle(_ d: DatadrivenTestCase) throws -> String {
        defer { changer.lastIndex += 1 }

        let ccs: [ConfChangeSingle]
        do { ccs = try ConfChangeSingle.parse(d.input) } catch { return error.description }

        let result: Result<Changer.Outcome, ConfChangeError>
        switch d.cmd {
        case "simple":
            result = Result { () throws(ConfChangeError) in try changer.simple(ccs) }
        case "enter-joint":
            var autoLeave = false
            if !d.cmdArgs.isEmpty { autoLeave = try d.scanBool("autoleave") }
            result = Result { () throws(ConfChangeError) in try changer.enterJoint(autoLeave: autoLeave, ccs) }
        case "leave-joint":
            if !ccs.isEmpty {
                result = .failure(ConfChangeError("this command takes no input"))
            } else {
                result = Result { () throws(ConfChangeError) in
                    if let yours = parts.leaveJoint { try yours(changer) } else { try changer.leaveJoint() }
                }
            }
        default:
            return "unknown command"
        }

        switch result {
        case .failure(let error):
            return "\(error)\n"
        case .success(let (config, progress)):
            changer.tracker.config = config
            changer.tracker.progress = progress
            return "\(config)\n\(progress.progressDescription)"
        }
    }
}
