import Raft

/// Draws a trace as a Mermaid `sequenceDiagram`: one participant per node, one arrow per message
/// (a crossed arrow for a lost one), notes for role changes, section headings and the Readies a
/// chapter shows step by step (consecutive identical Readies of several nodes in one note).
public enum Mermaid {
    /// The diagram of everything `trace` recorded.
    public static func sequenceDiagram(_ trace: Trace) -> String {
        let participants = trace.participants
        var out = "sequenceDiagram\n"
        for id in participants { out += "    participant N\(id) as node \(id)\n" }
        for event in collapsingReadies(trace.events) {
            switch event {
            case let .message(from, to, label, lost):
                out += "    N\(from)\(lost ? "-x" : "->>")N\(to): \(clean(label))\n"
            case let .note(over, text):
                // Mermaid spans a note between two participants at most: the first and the last.
                let ids = over.isEmpty ? participants : over
                let span = [ids.first, ids.count > 1 ? ids.last : nil].compactMap { $0 }
                guard !span.isEmpty else { continue }
                out += "    Note over \(span.map { "N\($0)" }.joined(separator: ",")): \(clean(text))\n"
            case let .ready(node, summary):
                out += "    Note over N\(node): \(clean(summary))\n"
            }
        }
        return out
    }

    /// `events` with each run of consecutive Readies that read alike (two followers handling the
    /// same append) turned into one note over all their nodes.
    static func collapsingReadies(_ events: [Trace.Event]) -> [Trace.Event] {
        var out: [Trace.Event] = []
        var i = events.startIndex
        while i < events.endIndex {
            guard case let .ready(first, summary) = events[i] else {
                out.append(events[i])
                i += 1
                continue
            }
            var nodes = [first]
            var j = i + 1
            while j < events.endIndex, case let .ready(node, other) = events[j], other == summary, !nodes.contains(node) {
                nodes.append(node)
                j += 1
            }
            if nodes.count == 1 {
                out.append(events[i])
            } else {
                let names = nodes.dropLast().map(String.init).joined(separator: ", ") + " and \(nodes.last ?? 0)"
                out.append(.note(over: [nodes.min() ?? first, nodes.max() ?? first], text: "nodes \(names) alike: \(summary)"))
            }
            i = j
        }
        return out
    }

    /// A message in a few words: its type, term and the fields that matter for its type. Entries
    /// are given by index range, not content, to keep arrows short.
    public static func label(_ m: Message) -> String {
        var out = "\(m.type) Term:\(m.term)"
        switch m.type {
        case .msgApp:
            out += " Log:\(m.logTerm)/\(m.index) Commit:\(m.commit)"
            if let first = m.entries.first, let last = m.entries.last {
                out += first.index == last.index ? " Entries:[\(first.index)]" : " Entries:[\(first.index)-\(last.index)]"
            }
        case .msgAppResp:
            out += m.reject ? " Rejected Index:\(m.index) Hint:\(m.rejectHint)" : " Index:\(m.index)"
        case .msgVote, .msgPreVote:
            out += " Log:\(m.logTerm)/\(m.index)"
        case .msgVoteResp, .msgPreVoteResp:
            out += m.reject ? " Rejected" : " Granted"
        case .msgHeartbeat:
            out += " Commit:\(m.commit)"
        case .msgSnap:
            out += " Snapshot:\(m.snapshot?.metadata.index ?? 0)"
        case .msgReadIndexResp:
            out += " Index:\(m.index)"
        default:
            break
        }
        if !m.context.isEmpty && (m.type == .msgHeartbeat || m.type == .msgHeartbeatResp) {
            out += " Context:\(String(decoding: m.context, as: UTF8.self))"
        }
        return out
    }

    /// Mermaid reads `;` as the end of a statement and `#` as the start of an entity code.
    static func clean(_ text: String) -> String {
        String(text.map { $0 == ";" || $0 == "#" || $0 == "\n" ? " " : $0 })
    }
}
