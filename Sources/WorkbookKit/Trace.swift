import Raft
import RaftSupport

/// What a scenario run produced: the narration the reader reads, and the events the sequence
/// diagram is drawn from. Both are filled in the same pass, so they always tell the same run.
///
/// A class shared by the scenario, the cluster driver and raft's loggers (which is why it is
/// `Sendable`, with its state behind a lock), although a run uses it from one thread at a time.
public final class Trace: Sendable {
    /// One thing the diagram shows.
    public enum Event: Sendable, Hashable {
        /// A message between two nodes; `lost` when the network dropped it.
        case message(from: UInt64, to: UInt64, label: String, lost: Bool)
        /// A note over one node (a role change), or over all of them when `over` is empty (a
        /// section heading).
        case note(over: [UInt64], text: String)
        /// Node `node` handled a Ready, in the steps `summary` lists (persist, send, apply,
        /// advance). The diagram draws one note for consecutive identical Readies of several nodes.
        case ready(node: UInt64, summary: String)
    }

    private struct State: Sendable {
        var lines: [String] = []
        var events: [Event] = []
        var participants: [UInt64] = []
        /// Above zero inside `quietly`: routine lines and arrows are left out.
        var quiet = 0
        /// Whether raft's own INFO log lines go into the narration.
        var showsRaftLog = false
    }

    private let state = Locked(State())

    /// The knobs this run was started with (the chapter's command line). Clusters built on this
    /// trace apply them to every node's `Config`; scenarios read their chapter's own.
    public let options: RunOptions

    /// With `options.verbose`, nothing is hidden: `quietly` hides nothing, and raft's log lines
    /// (every level) are always shown.
    public init(options: RunOptions = RunOptions()) {
        self.options = options
    }

    /// Whether this run hides nothing (`--verbose`).
    var verbose: Bool { options.verbose }

    // MARK: - Writing

    /// Adds a line (or several, split on newlines) to the narration, unless inside `quietly`.
    public func say(_ text: String) {
        state.withLock { s in
            guard s.quiet == 0 else { return }
            s.lines.append(contentsOf: text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init))
        }
    }

    /// Starts a section: a heading in the narration and a note across the whole diagram.
    /// Shown even inside `quietly`.
    public func heading(_ title: String) {
        state.withLock { s in
            s.lines.append("")
            s.lines.append("== \(title)")
            s.events.append(.note(over: [], text: title))
        }
    }

    /// Records a key state change of node `id` (a new role, a new configuration): a line in the
    /// narration and a note over the node in the diagram. Shown even inside `quietly`, so that a
    /// stretch of routine traffic still shows its outcome.
    public func mark(_ id: UInt64, _ text: String) {
        state.withLock { s in
            s.lines.append("  * node \(id): \(text)")
            s.events.append(.note(over: [id], text: text))
        }
    }

    /// Records a message the network delivered (`lost: false`) or dropped: an arrow in the
    /// diagram, and a line in the narration unless `narrate` is false (the reader saw it already,
    /// in the Ready that sent it).
    public func message(_ m: Message, lost: Bool, narrate: Bool = true) {
        state.withLock { s in
            guard s.quiet == 0 else { return }
            if narrate {
                let text = (lost ? "lost: " : "") + m.description
                s.lines.append(contentsOf: text.split(separator: "\n").map { "  " + $0 })
            }
            s.events.append(.message(from: m.from, to: m.to, label: Mermaid.label(m), lost: lost))
        }
    }

    /// A note over nodes `ids` in the diagram only (the narration says it in its own words): the
    /// moment a chapter is about, such as two leaders at once or a stale read.
    public func note(over ids: [UInt64], _ text: String) {
        state.withLock { s in
            guard s.quiet == 0 else { return }
            s.events.append(.note(over: ids.sorted(), text: text))
        }
    }

    /// Records that node `id` handled a Ready (for the diagram only: the narration shows the Ready
    /// itself). Left out inside `quietly`.
    public func ready(_ id: UInt64, _ summary: String) {
        state.withLock { s in
            guard s.quiet == 0 else { return }
            s.events.append(.ready(node: id, summary: summary))
        }
    }

    /// One of raft's log lines, when `showsRaftLog` is on (always with `--verbose`).
    func raftLog(_ line: String) {
        let verbose = verbose
        state.withLock { s in
            guard verbose || (s.quiet == 0 && s.showsRaftLog) else { return }
            s.lines.append("    raft: \(line)")
        }
    }

    /// Adds a node to the diagram's participants (in the order nodes join).
    public func join(_ id: UInt64) {
        state.withLock { s in
            if !s.participants.contains(id) { s.participants.append(id) }
        }
    }

    /// Whether raft's INFO log lines (role changes, votes, conflicts) appear in the narration.
    public var showsRaftLog: Bool {
        get { state.withLock { $0.showsRaftLog } }
        set { state.withLock { $0.showsRaftLog = newValue } }
    }

    /// Runs `body` with routine lines and message arrows left out: for stretches of heartbeats
    /// that would drown the story. Headings and marks still appear. With `--verbose` nothing is
    /// left out.
    @discardableResult
    public func quietly<T>(_ body: () throws -> T) rethrows -> T {
        if verbose { return try body() }
        state.withLock { $0.quiet += 1 }
        defer { state.withLock { $0.quiet -= 1 } }
        return try body()
    }

    // MARK: - Reading

    /// The narration, one line per line, ending with a newline.
    public var narration: String {
        state.withLock { s in s.lines.joined(separator: "\n") + "\n" }
    }

    public var events: [Event] { state.withLock { $0.events } }

    public var participants: [UInt64] { state.withLock { $0.participants } }
}
