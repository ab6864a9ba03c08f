/// Why a chapter's scenario could not run, or did not go the way its narration says.
///
/// Scenarios check what they narrate (`expect`): if the library ever behaves differently, the
/// program fails instead of printing a story that is no longer true.
public enum WorkbookError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The command line had something the chapter does not understand.
    case usage(String)
    /// The scenario named a node that is not in its cluster.
    case unknownNode(UInt64)
    /// Something the narration relies on did not happen.
    case unexpected(String)
    /// The asynchronous part of a scenario waits for something that can no longer happen.
    case stuck(String)

    public var description: String {
        switch self {
        case .usage(let text): "usage: \(text)"
        case .unknownNode(let id): "no node \(id) in this cluster"
        case .unexpected(let text): "the scenario did not go as narrated: \(text)"
        case .stuck(let text): "the scenario is stuck: \(text)"
        }
    }
}

/// Fails the scenario with `message` unless `condition` holds.
func expect(_ condition: Bool, _ message: @autoclosure () -> String) throws(WorkbookError) {
    if !condition { throw .unexpected(message()) }
}
