import ExerciseSupport
import Raft

/// Exercise 3.3: the application's handling of one Ready.
///
/// Write the application's side of the Ready contract (Chapter 3, "The order"), as the library's
/// `handleReady` in `Sources/Raft/RawNode/ReadyApplication.swift` does it. The simulator runs your
/// function as every node's application loop, under crashes: `swift run workbook check 3` runs
/// its seeds with your code.
///
/// `app` has five duties: `persist(hardState:entries:snapshot:)` (write `rd`'s hard state,
/// entries and snapshot durably), `send(_:)` (hand messages to the network), `apply(_:)` (apply
/// committed entries to the state machine), `serveReads(_:)` (answer the reads of
/// `rd.readStates`) and `advance(_:)` (tell raft the Ready is handled). Do each of them for all of
/// `rd`, once, in an order that keeps raft's promises:
/// - some messages promise state this very Ready writes: a follower's acknowledgement says "I hold
///   these entries", a vote says "I voted for you in this term". Such a message must not leave
///   before the write, or a crash could break the promise. (A leader's own appends promise
///   nothing about its disk: raft lets them leave early, and so may you.)
/// - the committed entries may be among the entries this Ready writes;
/// - a read is answered from the state machine with the entries up to its index applied;
/// - after `advance`, raft considers all of `rd` done and builds the next Ready.
///
/// `persist` throws when the node crashed while writing: nothing after it may happen. Let the
/// error propagate.
///
/// Check it: `swift run workbook check 3`. Stuck: `swift run workbook hint 3.3`.
func handleReady(_ rd: Ready, _ app: any ReadyApplication) throws {
    todo()
}
