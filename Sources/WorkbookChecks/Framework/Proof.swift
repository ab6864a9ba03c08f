/// The CI proof that every check bites (rustlings' `dev check`): on the untouched stubs every
/// check must fail, and on the reference every check must pass.
///
/// A check that passes on a stub cannot tell an unsolved exercise from a solved one (its answers
/// are probably the stub's neutral value: 0, empty, false, nil); a check that fails on the
/// reference is wrong about the library.
public struct Proof: Sendable {
    /// A check that does not do its job.
    public struct Finding: Sendable {
        public let exercise: ExerciseID
        public let check: String
        /// What is wrong: "passes on the stub" or "fails on the reference".
        public let problem: String
        /// The outcome's message.
        public let message: String
    }

    /// How many checks were run (each on both implementations).
    public let checkCount: Int
    /// How many exercises were covered.
    public let exerciseCount: Int
    /// Everything that went wrong; empty when the proof holds.
    public let findings: [Finding]

    /// Whether every check failed on the stubs and passed on the reference.
    public var holds: Bool { findings.isEmpty }

    /// Runs every check of `exercises` on `stubs` and on `reference`.
    public static func run(
        stubs: Solutions, reference: Solutions = .reference, exercises: [Exercise] = ExerciseCatalog.all
    ) -> Proof {
        var findings: [Finding] = []
        var checkCount = 0
        for exercise in exercises {
            for check in exercise.checks {
                checkCount += 1
                let onStub = check.run(stubs)
                if onStub.passed {
                    findings.append(Finding(exercise: exercise.id, check: check.name,
                                            problem: "passes on the stub", message: onStub.message))
                }
                let onReference = check.run(reference)
                if !onReference.passed {
                    findings.append(Finding(exercise: exercise.id, check: check.name,
                                            problem: "fails on the reference", message: onReference.message))
                }
            }
        }
        return Proof(checkCount: checkCount, exerciseCount: exercises.count, findings: findings)
    }
}
