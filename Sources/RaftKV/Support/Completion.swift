import Foundation

/// A one-shot result that a blocking thread waits for and another party fills in: the blocking
/// forms of the request methods (`RaftKVNode.put`, `get`; membership changes, which the HTTP API
/// runs on a thread of their own) over their callback forms.
///
/// The HTTP event loop does not use it: it is answered by callback, so that a write costs no
/// thread wake of its own. This is the bridge for callers that do block, with a deadline so that
/// a request that cannot commit returns instead of hanging. Built on `NSCondition` (a pthread
/// condition) so the thread sanitizer sees the order.
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
