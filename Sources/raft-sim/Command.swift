import RaftSimulation

/// Runs what the arguments ask for and prints the results; returns the exit code.
struct Command {
    let args: Arguments

    init(_ args: Arguments) { self.args = args }

    /// What one worker found.
    struct WorkerResult: Sendable {
        var stats = Stats()
        var violations: [Outcome] = []
        var fingerprints: [(UInt64, UInt64)] = []
    }

    func run() async -> Int32 {
        if let path = args.replay { return replay(path) }
        if let path = args.saveSchedule { return save(path) }
        if args.fuzz > 0 { return fuzz() }
        CrashReporter.install()
        let first = args.seeds.lowerBound
        let count = args.seeds.upperBound - first + 1
        let jobs = UInt64(min(args.jobs, Int(min(count, 64))))
        let steps = args.steps, bug = args.bug, progress = args.progress, stopAfter = args.stopAfter
        let wantFingerprints = args.fingerprints, strictLease = args.strictLease
        let results = await withTaskGroup(of: WorkerResult.self) { group in
            for worker in 0..<jobs {
                group.addTask {
                    var result = WorkerResult()
                    var done = 0
                    var k = worker
                    while k < count {
                        let seed = first + k
                        CrashReporter.running(seed, worker: Int(worker))
                        let outcome = Simulator(seed: seed, steps: steps, bug: bug, strictLease: strictLease).run()
                        result.stats.merge(outcome.stats)
                        if wantFingerprints { result.fingerprints.append((seed, outcome.fingerprint)) }
                        if let v = outcome.violation {
                            FileHandleOutput.stderr("raft-sim: seed \(seed): \(v)\n")
                            result.violations.append(outcome)
                            if stopAfter > 0 && result.violations.count >= stopAfter { break }
                        }
                        done += 1
                        if progress > 0 && done % max(1, progress / Int(jobs)) == 0 {
                            FileHandleOutput.stderr("raft-sim: worker \(worker): \(done) seeds, up to seed \(seed)\n")
                        }
                        k += jobs
                    }
                    CrashReporter.running(0, worker: Int(worker))
                    return result
                }
            }
            var all: [WorkerResult] = []
            for await r in group { all.append(r) }
            return all
        }
        var total = Stats()
        var violations: [Outcome] = []
        var fingerprints: [(UInt64, UInt64)] = []
        for r in results {
            total.merge(r.stats)
            violations += r.violations
            fingerprints += r.fingerprints
        }
        if wantFingerprints {
            for (seed, fp) in fingerprints.sorted(by: { $0.0 < $1.0 }) {
                print("seed \(seed) fingerprint \(String(fp, radix: 16))")
            }
        }
        for outcome in violations.sorted(by: { $0.seed < $1.seed }) {
            if let report = ViolationReport(
                outcome, bug: bug, strictLease: args.strictLease,
                shrinkBudget: args.shrinkBudget, eventLines: args.eventLines)
            {
                print(report.text)
            }
        }
        print(total.summary)
        print("\(total.seeds) seeds, \(total.steps) steps, \(violations.count) violations")
        return violations.isEmpty ? 0 : 1
    }

    /// Feeds malformed messages to nodes in every role and reports broken invariants.
    func fuzz() -> Int32 {
        var messages = 0, refused = 0, forged = 0, applied = 0, roleChanges = 0, snapshots = 0, failures = 0
        for seed in args.seeds {
            for role in FuzzRole.allCases {
                for async in [false, true] {
                    CrashReporter.running(seed, worker: 0)
                    let report: FuzzReport
                    do {
                        report = try FuzzHarness(role: role, asyncStorageWrites: async, seed: seed).run(
                            messages: args.fuzz, seed: seed)
                    } catch {
                        print("seed \(seed) \(role): cannot set up the node: \(error)")
                        failures += 1
                        continue
                    }
                    messages += report.messages
                    refused += report.refused
                    forged += report.forgedLocal
                    applied += report.entriesApplied
                    roleChanges += report.roleChanges
                    snapshots += report.snapshotsRestored
                    if !report.violations.isEmpty {
                        failures += 1
                        print(
                            "VIOLATION fuzz seed \(seed), \(role)\(async ? ", async storage writes" : ""): "
                                + report.violations.joined(separator: "; "))
                    }
                }
            }
        }
        print(
            "fuzz: \(messages) messages, \(refused) refused by raft, \(forged) forged storage-thread senders dropped, "
                + "\(applied) entries applied, \(snapshots) snapshots restored, \(roleChanges) role changes")
        print("\(args.seeds.count) seeds, \(messages) messages, \(failures) violations")
        return failures == 0 ? 0 : 1
    }

    /// Records the schedule of one seed's run and writes it to `path`.
    func save(_ path: String) -> Int32 {
        guard args.seeds.count == 1 else {
            FileHandleOutput.stderr("raft-sim: --save-schedule needs a single --seed\n")
            return 2
        }
        let seed = args.seeds.lowerBound
        let outcome = Simulator(
            seed: seed, steps: args.steps, bug: args.bug, strictLease: args.strictLease,
            record: true
        ).run()
        guard let schedule = outcome.schedule, FileHandleOutput.write(schedule.text, to: path) else {
            FileHandleOutput.stderr("raft-sim: cannot write \(path)\n")
            return 2
        }
        print("seed \(seed): \(schedule.actionCount) actions, \(schedule.fates.count) message fates written to \(path)")
        if let v = outcome.violation { print("VIOLATION \(v)") }
        return outcome.violation == nil ? 0 : 1
    }

    /// Replays a schedule file and reports.
    func replay(_ path: String) -> Int32 {
        guard let text = FileHandleOutput.read(path) else {
            FileHandleOutput.stderr("raft-sim: cannot read \(path)\n")
            return 2
        }
        let schedule: Schedule
        do {
            schedule = try Schedule(parsing: text)
        } catch {
            FileHandleOutput.stderr("raft-sim: \(path): \(error)\n")
            return 2
        }
        let outcome = Simulator(replaying: schedule, verbose: true, raftLog: args.raftLog).run()
        print(
            "replayed seed \(schedule.seed), \(outcome.stepsRun) of \(schedule.steps) steps, "
                + "\(schedule.actionCount) actions, \(schedule.fates.count) message fates")
        print("  scenario: \(Scenario(seed: schedule.seed))")
        for line in outcome.traceLines(limit: args.eventLines) { print("    \(line)") }
        if let v = outcome.violation {
            print("VIOLATION step \(v.step): \(v.kind.rawValue): \(v.detail)")
        }
        print("1 seeds, \(outcome.stats.steps) steps, \(outcome.violation == nil ? 0 : 1) violations")
        return outcome.violation == nil ? 0 : 1
    }
}
