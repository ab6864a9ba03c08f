import Testing
@testable import Raft

private func changes(_ text: String) -> [ConfChangeSingle] {
    (try? ConfChangeSingle.parse(text)) ?? []
}

/// Applies `result` to `changer`'s tracker, as raft does after a successful change.
private func adopt(_ changer: inout Changer, _ result: Changer.Outcome) {
    (changer.tracker.config, changer.tracker.progress) = result
}

private func freshChanger(lastIndex: UInt64 = 10) -> Changer {
    Changer(tracker: ProgressTracker(maxInflight: 10, maxBytes: 0), lastIndex: lastIndex)
}

/// The rules every configuration produced by the changer must follow.
private func invariantViolations(_ cfg: ProgressTracker.Config, _ trk: ProgressMap) -> [String] {
    var problems: [String] = []
    let voters = cfg.voters.ids
    if !voters.isDisjoint(with: cfg.learners) { problems.append("voters and learners overlap") }
    if !cfg.learnersNext.isSubset(of: Set(cfg.voters.outgoing)) { problems.append("staged learner not outgoing") }
    let members = voters.union(cfg.learners)
    if Set(trk.keys) != members { problems.append("progress for \(trk.keys.sorted()), members \(members.sorted())") }
    for (id, pr) in trk where pr.isLearner != cfg.learners.contains(id) {
        problems.append("\(id): isLearner \(pr.isLearner)")
    }
    if cfg.voters.outgoing.isEmpty && (!cfg.learnersNext.isEmpty || cfg.autoLeave) {
        problems.append("joint-only state outside a joint configuration")
    }
    if cfg.voters.incoming.isEmpty && !members.isEmpty { problems.append("no incoming voters") }
    return problems
}

/// Progress maps equal by value.
private func sameProgress(_ a: ProgressMap, _ b: ProgressMap) -> Bool {
    a.count == b.count && a.allSatisfy { id, pr in b[id] == pr }
}

@Suite struct ChangerTests {
    @Test func errorTexts() throws {
        var c = freshChanger()
        #expect(throws: ConfChangeError("can't leave a non-joint config")) { try c.leaveJoint() }
        #expect(throws: ConfChangeError("can't make a zero-voter config joint")) { try c.enterJoint(autoLeave: false, changes("v1")) }
        #expect(throws: ConfChangeError("removed all voters")) { try c.simple(changes("l1")) }
        adopt(&c, try c.simple(changes("v1")))
        #expect(throws: ConfChangeError("more than one voter changed without entering joint config")) {
            try c.simple(changes("v2 v3"))
        }
        #expect(throws: ConfChangeError("removed all voters")) { try c.simple(changes("r1")) }
        adopt(&c, try c.enterJoint(autoLeave: true, changes("v2")))
        #expect(throws: ConfChangeError("config is already joint")) { try c.enterJoint(autoLeave: false, []) }
        #expect(throws: ConfChangeError("can't apply simple config change in joint config")) { try c.simple(changes("v3")) }
        #expect(ConfChangeError.removedAllVoters.description == "removed all voters")
    }

    @Test func inconsistentTrackersAreRefused() {
        var c = freshChanger()
        c.tracker.config.voters.incoming = [1]
        #expect(throws: ConfChangeError("no progress for 1")) { try c.simple(changes("v2")) }

        c.tracker.progress[1] = Progress(next: 1, inflights: Inflights(size: 1, maxBytes: 0))
        c.tracker.config.learners = [1]
        #expect(throws: ConfChangeError("1 is in Learners and Voters[0]")) { try c.simple([]) }

        c.tracker.config.voters.incoming = [2]
        c.tracker.progress[2] = Progress(next: 1, inflights: Inflights(size: 1, maxBytes: 0))
        #expect(throws: ConfChangeError("1 is in Learners, but is not marked as learner")) { try c.simple([]) }

        c.tracker.config.learners = []
        c.tracker.config.learnersNext = [1]
        #expect(throws: ConfChangeError("1 is in LearnersNext, but not Voters[1]")) { try c.simple([]) }

        c.tracker.config.voters.outgoing = [1]
        c.tracker.progress[1]?.isLearner = true
        #expect(throws: ConfChangeError("1 is in LearnersNext, but is already marked as learner")) { try c.leaveJoint() }

        c.tracker.progress[1]?.isLearner = false
        c.tracker.config.learners = [1]
        #expect(throws: ConfChangeError("1 is in Learners and Voters[1]")) { try c.leaveJoint() }

        var notJoint = freshChanger()
        notJoint.tracker.config.autoLeave = true
        #expect(throws: ConfChangeError("AutoLeave must be false when not joint")) { try notJoint.simple(changes("v1")) }
    }

    @Test func newNodesAreProbedFromTheLastIndex() throws {
        var c = freshChanger(lastIndex: 0)
        let first = try c.simple(changes("v1"))
        #expect(first.1[1]?.description == "StateProbe match=0 next=1")
        adopt(&c, first)
        c.lastIndex = 7
        let (_, trk) = try c.simple(changes("l3"))
        #expect(trk[3]?.next == 7 && trk[3]?.isLearner == true && trk[3]?.recentActive == true)
        #expect(trk[3]?.inflights.size == 10)
    }

    @Test func changesNeverTouchTheTrackersProgress() throws {
        var c = freshChanger()
        adopt(&c, try c.simple(changes("v1")))
        adopt(&c, try c.simple(changes("v2")))
        adopt(&c, try c.simple(changes("v3")))
        let originals = c.tracker.progress
        let snapshot = originals.mapValues { $0.clone() }

        let (_, demoted) = try c.simple(changes("l3"))
        let (_, joint) = try c.enterJoint(autoLeave: false, changes("l2 r1 v4"))
        _ = try? c.simple(changes("r1 r2 r3"))  // refused

        for (id, pr) in originals {
            #expect(pr == snapshot[id], "progress \(id) was changed")
            #expect(demoted[id] !== pr && joint[id] !== pr)
        }
        #expect(demoted[3]?.isLearner == true)
        #expect(c.tracker.progress[3]?.isLearner == false)
    }

    @Test func demotionIsStagedUntilLeaving() throws {
        var c = freshChanger()
        adopt(&c, try c.simple(changes("v1")))
        adopt(&c, try c.simple(changes("v2")))
        adopt(&c, try c.enterJoint(autoLeave: false, changes("l2")))
        #expect(c.tracker.config.description == "voters=(1)&&(1 2) learners_next=(2)")
        #expect(c.tracker.progress[2]?.isLearner == false)
        adopt(&c, try c.leaveJoint())
        #expect(c.tracker.config.description == "voters=(1) learners=(2)")
        #expect(c.tracker.progress[2]?.isLearner == true)
    }

    @Test func zeroNodeIdsAreSkipped() throws {
        let c = freshChanger()
        let (cfg, trk) = try c.simple(changes("v1 v0 l0 r0"))
        #expect(cfg.description == "voters=(1)" && Set(trk.keys) == [1])
    }

    @Test func describe() {
        #expect(Changer.describe(changes("v1 r2 l3 u4"))
            == "ConfChangeAddNode(1) ConfChangeRemoveNode(2) ConfChangeAddLearnerNode(3) ConfChangeUpdateNode(4)")
        #expect(Changer.describe([]) == "")
    }

    /// Random changes applied one at a time with `simple`, or all at once through a joint
    /// configuration, end in the same place; and every intermediate result keeps the invariants.
    /// etcd: TestConfChangeQuick (confchange/quick_test.go).
    @Test func simpleAndJointAgree() throws {
        var rng = SeededRandomNumberGenerator(seed: 0xc0ffee)
        let types: [ConfChangeType] = [.confChangeAddNode, .confChangeAddLearnerNode, .confChangeRemoveNode, .confChangeUpdateNode]
        for round in 0..<500 {
            // Node 1 is a voter throughout, so no configuration is left without voters.
            var setup = [ConfChangeSingle(type: .confChangeAddNode, nodeID: 1)]
            for _ in 0..<Int.random(in: 1...5, using: &rng) {
                setup.append(ConfChangeSingle(type: .confChangeAddNode, nodeID: UInt64.random(in: 1...5, using: &rng)))
            }
            let ccs = (0..<Int.random(in: 1...9, using: &rng)).map { _ in
                ConfChangeSingle(
                    type: types.randomElement(using: &rng) ?? .confChangeAddNode,
                    nodeID: UInt64.random(in: 2...10, using: &rng))
            }
            var base = freshChanger()
            for cc in setup { adopt(&base, try base.simple([cc])) }

            var oneByOne = base
            for cc in ccs {
                let result = try oneByOne.simple([cc])
                #expect(invariantViolations(result.0, result.1).isEmpty, "round \(round)")
                adopt(&oneByOne, result)
            }

            var viaJoint = base
            let entered = try viaJoint.enterJoint(autoLeave: false, ccs)
            #expect(invariantViolations(entered.0, entered.1).isEmpty, "round \(round)")
            let enteredAuto = try viaJoint.enterJoint(autoLeave: true, ccs)
            #expect(enteredAuto.0.autoLeave)
            var withoutAuto = enteredAuto.0
            withoutAuto.autoLeave = false
            #expect(withoutAuto == entered.0 && sameProgress(enteredAuto.1, entered.1), "round \(round)")
            adopt(&viaJoint, entered)
            let left = try viaJoint.leaveJoint()
            #expect(invariantViolations(left.0, left.1).isEmpty, "round \(round)")
            adopt(&viaJoint, left)

            let described = "round \(round): setup \(setup.compactDescription), changes \(ccs.compactDescription)"
            #expect(oneByOne.tracker.config == viaJoint.tracker.config, "\(described)")
            #expect(sameProgress(oneByOne.tracker.progress, viaJoint.tracker.progress), "\(described)")
        }
    }
}
