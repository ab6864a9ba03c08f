import Raft
import Testing
@testable import RaftSimulation

/// Random and malformed messages against a node in every role, with synchronous and asynchronous
/// storage writes: nothing traps (a trap would end the test process), no invariant of
/// `FuzzHarness` breaks, and the fuzzer really does reach the node (it refuses some messages,
/// applies entries, changes role).
@Suite struct FuzzTests {
    static let cases: [(FuzzRole, Bool)] = FuzzRole.allCases.flatMap { [($0, false), ($0, true)] }

    @Test(arguments: cases)
    func hostileMessagesBreakNothing(role: FuzzRole, async: Bool) throws {
        var total = FuzzReport(role: role, asyncStorageWrites: async)
        for seed in UInt64(1)...10 {
            let harness = try FuzzHarness(role: role, asyncStorageWrites: async, seed: seed)
            let report = harness.run(messages: 200, seed: seed)
            #expect(report.violations.isEmpty, "seed \(seed): \(report.violations)")
            total.messages += report.messages
            total.refused += report.refused
            total.roleChanges += report.roleChanges
            total.entriesApplied += report.entriesApplied
        }
        #expect(total.messages == 10 * 200)
        #expect(total.refused > 0)
        #expect(total.entriesApplied > 0)
        // A learner cannot campaign; every other role moves under the fuzzer's messages and ticks.
        if role != .learner { #expect(total.roleChanges > 0) }
    }

    /// The harness puts the node in the role it names before fuzzing.
    @Test(arguments: FuzzRole.allCases)
    func harnessStartsInItsRole(role: FuzzRole) throws {
        let harness = try FuzzHarness(role: role, asyncStorageWrites: false, seed: 7)
        let expected: StateType = switch role {
        case .follower, .learner: .follower
        case .preCandidate: .preCandidate
        case .candidate: .candidate
        case .leader: .leader
        }
        #expect(harness.currentRole == expected)
    }
}
