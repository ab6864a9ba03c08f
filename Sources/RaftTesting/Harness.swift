import Raft

/// Runs the blocks of one kind of test file. A harness is created fresh for every file and may
/// keep state from block to block (etcd's confchange and interaction tests do).
///
/// etcd: the function passed to `datadriven.RunTest` by each `TestDataDriven`.
public protocol DatadrivenHarness {
    /// The output of one block; throws when the block cannot be run at all (bad arguments), which
    /// stops the file.
    mutating func handle(_ testCase: DatadrivenTestCase) throws -> String
}

/// Which harness runs which kind of file. A file's kind is the name of the folder it is in
/// (`quorum/majority_vote.txt` is a `quorum` file), as in etcd's `testdata` layout.
///
/// Extend it with `register(_:_:)`; e.g. the interaction harness registers `"interaction"`.
///
/// etcd: the packages' separate `TestDataDriven` functions.
public struct HarnessRegistry {
    /// Makes a fresh harness for one file.
    ///
    /// etcd: the per-file setup inside `datadriven.Walk`.
    public typealias Factory = () -> any DatadrivenHarness

    private var factories: [String: Factory] = [:]
    private var unavailable: [String: String] = [:]

    /// An empty registry.
    ///
    /// etcd: none (ours).
    public init() {}

    /// Runs files of `kind` with harnesses made by `factory` (replacing any earlier entry).
    ///
    /// etcd: none (ours).
    public mutating func register(_ kind: String, _ factory: @escaping Factory) {
        factories[kind] = factory
        unavailable[kind] = nil
    }

    /// Records that files of `kind` are known but cannot be run yet, and why.
    ///
    /// etcd: none (ours).
    public mutating func markUnavailable(_ kind: String, reason: String) {
        factories[kind] = nil
        unavailable[kind] = reason
    }

    /// The kinds that can be run, sorted.
    ///
    /// etcd: none (ours).
    public var kinds: [String] { factories.keys.sorted() }

    /// A fresh harness for `kind`, or the reason there is none.
    ///
    /// etcd: the per-file setup inside `datadriven.Walk`.
    public func makeHarness(for kind: String) -> Result<any DatadrivenHarness, DatadrivenError> {
        if let factory = factories[kind] { return .success(factory()) }
        if let reason = unavailable[kind] { return .failure(DatadrivenError(reason)) }
        let known = (kinds + unavailable.keys).sorted().joined(separator: ", ")
        return .failure(DatadrivenError("unknown kind \"\(kind)\" (the folder name must be one of: \(known))"))
    }

    /// The harnesses this package provides: `quorum`, `confchange` and `interaction`.
    ///
    /// etcd: `quorum.TestDataDriven`, `confchange.TestConfChangeDataDriven`, `TestInteraction`.
    public static var standard: HarnessRegistry { withParts(nil) }

    /// The standard harnesses with a learner's pieces of raft plugged in (the workbook's judge);
    /// nil is `standard`.
    ///
    /// etcd: none (the workbook's).
    package static func withParts(_ parts: Parts?) -> HarnessRegistry {
        var registry = HarnessRegistry()
        registry.register("quorum") { QuorumHarness(parts: parts ?? Parts()) }
        registry.register("confchange") { ConfChangeHarness(parts: parts ?? Parts()) }
        registry.register("interaction") { InteractionHarness(parts: parts) }
        return registry
    }
}
