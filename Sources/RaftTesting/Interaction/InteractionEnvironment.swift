import Raft

/// A cluster of raft nodes driven one command at a time, for etcd's interaction transcripts: the
/// test decides when each node handles its Ready and which messages are delivered, dropped or kept
/// in flight, and every step is printed.
///
/// etcd: `rafttest.InteractionEnv`.
public final class InteractionEnvironment {
    /// One member of the cluster, with its storage and, under async storage writes, the work queued
    /// for its append and apply threads.
    final class Node {
        let rawNode: RawNode
        let storage: InteractionStorage
        let config: Config
        var appendWork: [Message] = []
        var applyWork: [Message] = []

        init(rawNode: RawNode, storage: InteractionStorage, config: Config) {
            self.rawNode = rawNode
            self.storage = storage
            self.config = config
        }
    }

    var nodes: [Node] = []
    /// Messages sent and not yet delivered or dropped, in the order they were sent.
    var messages: [Message] = []
    let output = RedirectLogger()
    /// The learner's pieces of raft plugged into every node this environment adds (the
    /// workbook's judge); nil runs the library's code.
    ///
    /// etcd: none (ours).
    package var parts: Parts?

    public init() {}

    /// The configuration every node starts from: short timeouts, no size or inflight limits.
    ///
    /// etcd: `raftConfigStub`.
    static func configStub(storage: any Storage) -> Config {
        var c = Config(id: 0, electionTick: 3, heartbeatTick: 1, storage: storage)
        c.maxSizePerMsg = noLimit
        c.maxInflightMsgs = Int(Int32.max)
        return c
    }

    /// Payloads print as Go's `%q`.
    static let entryFormatter: EntryFormatter? = nil
}

/// A harness command that cannot be carried out because the test file is wrong (not because raft
/// refused something: those are printed as output).
public struct InteractionError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}

/// Runs `interaction` files: one environment per file, one block at a time.
///
/// etcd: `TestInteraction` in `interaction_test.go`.
public struct InteractionHarness: DatadrivenHarness {
    let env = InteractionEnvironment()

    public init() {}

    /// A harness whose nodes run with the learner's pieces of raft plugged in.
    ///
    /// etcd: none (the workbook's).
    package init(parts: Parts?) { env.parts = parts }

    public mutating func handle(_ testCase: DatadrivenTestCase) throws -> String {
        try env.handle(testCase.cmd, testCase.cmdArgs, input: testCase.input)
    }
}
