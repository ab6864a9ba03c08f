import Foundation

/// A one-shot result that a blocking thread (an HTTP request) waits for and another party (the
/// Ready loop, on applying an entry) fills in.
///
/// The HTTP server runs on plain threads, and raft's answer arrives on the Ready loop's task;
/// this is the bridge, with a deadline so that a request that cannot commit returns instead of
/// hanging. Built on `NSCondition` (a pthread condition) so the thread sanitizer sees the order.
final class Completion<Value: Sendable>: @unchecked Sendable {
    // @unchecked: `value` is only touched with `condition` held.
    private let condition = NSCondition()
    private var value: Value?

    /// Sets the result, unless one was set already (the first answer wins).
    func complete(_ v: Value) {
        condition.lock()
        if value == nil {
            value = v
            condition.broadcast()
        }
        condition.unlock()
    }

    /// The result, waiting until `deadline` at most; nil when none came in time.
    func wait(until deadline: Date) -> Value? {
        condition.lock()
        defer { condition.unlock() }
        while value == nil {
            if !condition.wait(until: deadline) { break }
        }
        return value
    }
}
