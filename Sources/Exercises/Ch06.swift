import Raft
import WorkbookChecks

/// Chapter 6, log replication and flow control.
///
/// Solve the exercises below, then check them with `swift run workbook check 6`. The questions
/// are documented on `Ch06Exercises`; the checks are in
/// `Sources/WorkbookChecks/Checks/Ch06Checks.swift`.
public struct Ch06: Ch06Exercises {
    public init() {}

    /// Exercise 6.1, the majority's committed index: the highest index a majority of the voters
    /// has acknowledged.
    ///
    /// Hint (`swift run workbook hint 6.1`): Collect one index per voter (acked[id] ?? 0; ignore every
    /// other node), sort them from highest to lowest, and take the one at position len(voters)/2
    /// (counting from 0): that many voters plus one — a majority — have acknowledged at least that
    /// index. Handle the empty configuration first.
    public func committedIndex(voters: [UInt64], acked: [UInt64: UInt64]) -> UInt64 {
        // TODO(ch06): sort the voters' acknowledged indexes and pick the majority's.
        0
    }

    // Exercise 6.2, the in-flight window, has three parts: add, freeLE and isFull.
    //
    // Hint (`swift run workbook hint 6.2`): The window is a queue, oldest first. `add` appends a flight
    // at the end. `freeLE` drops flights from the front while their index is <= the acknowledged index
    // (indexes only grow, so it can stop at the first larger one). `isFull` is true when the queue
    // holds `size` flights, or when there is a byte limit (`maxBytes != 0`) and the bytes in flight
    // have reached it (>=, not >).

    /// Exercise 6.2, part 1: record an append whose last entry is `index`.
    public func add(_ window: InflightWindow, index: UInt64, bytes: UInt64) -> InflightWindow {
        // TODO(ch06): append the flight at the end of the window.
        window
    }

    /// Exercise 6.2, part 2: forget every append acknowledged by an acknowledgement of `index`.
    public func freeLE(_ window: InflightWindow, _ index: UInt64) -> InflightWindow {
        // TODO(ch06): drop flights from the front while their index is <= index.
        window
    }

    /// Exercise 6.2, part 3: whether the leader must stop sending to this follower.
    public func isFull(_ window: InflightWindow) -> Bool {
        // TODO(ch06): the count limit, or the byte limit when there is one.
        false
    }
}
