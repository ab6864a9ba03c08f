import ExerciseSupport
import Raft

/// Exercise 6.4: the leader reads a follower's rejection.
///
/// Write the rejected `msgAppResp` case of `stepLeader` (`RaftStateMachine.handleAppendRejection`,
/// Chapter 6, and chapter 4 for the hint). Follower `m.from` (progress `pr`) refused the append
/// that followed index `m.index`: its log does not hold our entry there. Its hint says where its
/// log may still agree with ours: it holds an entry of term `m.logTerm` at `m.rejectHint` (term 0:
/// its log simply ends at `m.rejectHint`).
///
/// Work out the next index to probe: with a term in the hint, none of our entries after the last
/// one whose term is at most `m.logTerm` (at or below `m.rejectHint`) can match, so skip them all
/// (`r.raftLog.findConflictByTerm(index:term:)`, exercise 4.3). Then let the progress back off
/// (`pr.maybeDecrTo(rejected:matchHint:)`, exercise 6.3). If it moved, a replicating follower goes
/// back to probing (`pr.becomeProbe()`), and the follower gets the next probe at once
/// (`r.sendAppend(m.from)`); if it did not (a stale rejection), nothing else happens.
///
/// Log what etcd logs, at DEBUG (`r.logger.debug`; ids in hex, `hex(_:)`): first, always,
/// `\(hex(r.id)) received MsgAppResp(rejected, hint: (index \(m.rejectHint), term \(m.logTerm))) from \(hex(m.from)) for index \(m.index)`;
/// then, when the progress moved, before anything is sent,
/// `\(hex(r.id)) decreased progress of \(hex(m.from)) to [\(pr)]`.
///
/// Check it: `swift run workbook check 6`. Stuck: `swift run workbook hint 6.4`.
func handleAppendRejection(_ r: RaftStateMachine, _ m: Message, _ pr: Progress) {
    todo()
}
