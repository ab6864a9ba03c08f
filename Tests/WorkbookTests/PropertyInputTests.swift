import Raft
import Testing
@testable import WorkbookChecks

/// The property checks compare with the reference on generated inputs. Those inputs are only
/// worth something if they reach every kind of answer; a generator that only produced "no
/// conflict" cases would let a stub returning 0 pass on most of them.
@Suite struct PropertyInputTests {
    let reference = Solutions.reference

    @Test func stepFilterCasesReachEveryAnswer() {
        let answers = Set(Ch01Checks.stepFilterCases.map {
            reference.ch01.stepRefusal(type: $0.type, from: $0.from, members: [1, 2, 3])
        })
        #expect(answers == [nil, .stepLocalMsg, .stepPeerNotFound])
    }

    @Test func proposalSituationsReachEveryFate() {
        let fates = Set(ProposalSituation.all.map { reference.ch01.proposalFate($0) })
        #expect(fates == [.appended, .forwardedToLeader, .dropped])
    }

    @Test func tallyCasesReachEveryResult() {
        let results = Set(Ch02Checks.tallyCases.map {
            reference.ch02.tally(voters: $0.voters, learners: $0.learners, votes: $0.votes).result
        })
        #expect(results == [.voteWon, .voteLost, .votePending])
    }

    @Test func grantCasesGrantAndRefuse() {
        let granted = Ch02Checks.grantCases.filter { reference.ch02.grantsVote(voter: $0.voter, request: $0.request) }
        #expect(granted.count > 30 && granted.count < 270)
        #expect(granted.contains { $0.request.kind == .preVote })
    }

    @Test func truncateCasesReachEveryBranch() {
        let results = Ch04Checks.truncateCases.map { reference.ch04.truncateAndAppend($0.unstable, $0.entries) }
        #expect(results.contains(nil), "a gap")
        #expect(zip(Ch04Checks.truncateCases, results).contains { c, r in r.map { $0.offset < c.unstable.offset } ?? false },
                "a replacement from before the offset")
        #expect(zip(Ch04Checks.truncateCases, results).contains { c, r in
            r.map { $0.offsetInProgress < c.unstable.offsetInProgress && $0.offset == c.unstable.offset } ?? false
        }, "a truncation pulling back the in-flight offset")
    }

    @Test func conflictCasesFindConflictsAndNone() {
        let answers = Ch04Checks.conflictCases.map { reference.ch04.findConflict(log: $0.log, entries: $0.entries) }
        #expect(answers.contains(0))
        #expect(answers.filter { $0 != 0 }.count > 100)
    }

    @Test func byTermCasesReachKnownAndUnknownTerms() {
        let answers = Ch04Checks.byTermCases.map {
            reference.ch04.findConflictByTerm(log: $0.log, index: $0.index, term: $0.term)
        }
        #expect(answers.contains { $0.index > 0 && $0.term > 0 })
        #expect(answers.contains { $0.index > 0 && $0.term == 0 })
        #expect(answers.contains { $0.index == 0 })
    }

    @Test func ackCasesReleaseAndHold() {
        let results = Ch05Checks.ackCases.map {
            reference.ch05.receiveHeartbeatAck(voters: $0.voters, pending: $0.pending, from: $0.from, context: $0.context)
        }
        #expect(results.contains { $0.released.count >= 2 }, "an acknowledgement releasing older reads too")
        #expect(results.contains { $0.released.isEmpty })
    }

    @Test func readSituationsReachEveryDecision() {
        let decisions = Set(ReadSituation.all.map { reference.ch05.readDecision($0) })
        #expect(decisions == [.answerNow, .confirmWithHeartbeats, .waitForFirstCommit, .forwardToLeader, .drop])
    }

    @Test func windowCasesCoverEveryOperation() {
        let kinds = Set(Ch06Checks.windowCases.map { c -> String in
            switch c.operation {
            case .add: "add"
            case .freeLE: "freeLE"
            case .isFull: reference.ch06.isFull(c.window) ? "full" : "not full"
            }
        })
        #expect(kinds == ["add", "freeLE", "full", "not full"])
    }

    @Test func compactCasesReachEveryResult() {
        let results = Ch07Checks.compactCases.map { reference.ch07.compact($0.storage, at: $0.index) }
        #expect(results.contains(.alreadyCompacted))
        #expect(results.contains(.beyondLastIndex))
        #expect(results.contains { if case .compacted = $0 { true } else { false } })
    }

    @Test func catchUpCasesReachBoth() {
        let results = Ch07Checks.catchUpCases.map { reference.ch07.catchUp(leader: $0.leader, followerMatch: $0.match) }
        #expect(results.contains(.snapshot))
        #expect(results.contains { if case .entries = $0 { true } else { false } })
    }

    @Test func changeCasesReachEveryOutcome() {
        let results = Ch08Checks.changeCases.map {
            reference.ch08.simpleChange(voters: $0.voters, learners: $0.learners, changes: $0.changes)
        }
        #expect(results.contains(.refused(.moreThanOneVoterChanged)))
        #expect(results.contains(.refused(.removedAllVoters)))
        #expect(results.contains { if case .applied = $0 { true } else { false } })
    }

    @Test func jointCasesReachEveryResult() {
        let results = Set(Ch08Checks.jointCases.map {
            reference.ch08.jointVoteResult(incoming: $0.incoming, outgoing: $0.outgoing, votes: $0.votes)
        })
        #expect(results == [.voteWon, .voteLost, .votePending])
    }

    @Test func transferCasesReachEveryDecision() {
        let decisions = Set(Ch09Checks.transferCases.map { reference.ch09.transferDecision($0) })
        #expect(decisions == [.ignore, .sendTimeoutNow, .catchUpFirst])
    }

    @Test func leaseCasesAnswerAndIgnore() {
        let answers = Set(Ch09Checks.leaseCases.map { reference.ch09.answersVoteRequest($0) })
        #expect(answers == [true, false])
    }
}
