/// Why a wait in a test gave up.
public struct WaitTimeout: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Polls `condition` until it holds, running `between` (a clock tick, say) between polls. The
/// timeout only turns a hang into a failure: it is not a statement about speed, so keep it generous
/// (sanitizer builds on a busy machine are slow).
///
/// The one polling wait of the Node tests and the in-process cluster.
public func waitUntil(
    _ what: @autoclosure () -> String, timeout: Duration = .seconds(60), between: () async -> Void = {},
    _ condition: () async throws -> Bool
) async throws {
    let deadline = ContinuousClock.now + timeout
    while try await !condition() {
        if ContinuousClock.now > deadline { throw WaitTimeout("timed out waiting for \(what())") }
        await between()
        try await Task.sleep(for: .milliseconds(1))
    }
}
