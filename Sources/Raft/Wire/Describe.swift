/// Turns an entry payload into text for descriptions. `nil` means etcd's default, Go's `%q`.
///
/// etcd: `EntryFormatter`.
public typealias EntryFormatter = @Sendable ([UInt8]) -> String

// The text forms below are etcd's, character for character: transcripts of our runs and of etcd's
// are compared byte for byte.

extension Entry: CustomStringConvertible {
    /// `term/index type payload`, for example `1/3 EntryNormal "foo"`; conf change payloads are
    /// decoded and shown in their compact form (`1/5 EntryConfChangeV2 v2 l3`).
    ///
    /// etcd: `DescribeEntry`.
    public func describe(_ formatter: EntryFormatter? = nil) -> String {
        var formatted: String
        switch type {
        case .entryNormal:
            formatted = formatter?(data) ?? GoQuote.quote(data)
        case .entryConfChange:
            do { formatted = try ConfChange(unmarshaling: data).asV2().changes.compactDescription }
            catch { formatted = error.description }
        case .entryConfChangeV2:
            do { formatted = try ConfChangeV2(unmarshaling: data).changes.compactDescription }
            catch { formatted = error.description }
        }
        if !formatted.isEmpty { formatted = " " + formatted }
        return "\(term)/\(index) \(type)\(formatted)"
    }

    public var description: String { describe() }
}

extension Sequence where Element == Entry {
    /// One described entry per line, each line ending in a newline.
    ///
    /// etcd: `DescribeEntries`.
    public func describe(_ formatter: EntryFormatter? = nil) -> String {
        var out = ""
        for e in self { out += e.describe(formatter) + "\n" }
        return out
    }
}

extension HardState: CustomStringConvertible {
    /// `Term:1 Vote:1 Commit:3`; the vote is left out when there is none.
    ///
    /// etcd: `DescribeHardState`.
    public var description: String {
        var out = "Term:\(term)"
        if vote != 0 { out += " Vote:\(vote)" }
        out += " Commit:\(commit)"
        return out
    }
}

extension ConfState: CustomStringConvertible {
    /// etcd: `DescribeConfState`.
    public var description: String {
        func list(_ ids: [UInt64]) -> String { "[" + ids.map(String.init).joined(separator: " ") + "]" }
        return "Voters:\(list(voters)) VotersOutgoing:\(list(votersOutgoing)) Learners:\(list(learners)) "
            + "LearnersNext:\(list(learnersNext)) AutoLeave:\(autoLeave)"
    }
}

extension Snapshot: CustomStringConvertible {
    /// etcd: `DescribeSnapshot`.
    public var description: String {
        "Index:\(metadata.index) Term:\(metadata.term) ConfState:\(metadata.confState)"
    }
}

extension Message: CustomStringConvertible {
    /// `1->2 MsgApp Term:1 Log:1/2 Commit:2 Entries:[1/3 EntryNormal ""]`: sender and receiver in hex,
    /// then only the fields that carry something.
    ///
    /// etcd: `DescribeMessage`.
    public func describe(_ formatter: EntryFormatter? = nil) -> String {
        describe(indent: "", formatter)
    }

    public var description: String { describe() }

    private func describe(indent: String, _ formatter: EntryFormatter?) -> String {
        var out = "\(indent)\(Message.describeTarget(from))->\(Message.describeTarget(to)) \(type) "
            + "Term:\(term) Log:\(logTerm)/\(index)"
        if reject { out += " Rejected (Hint: \(rejectHint))" }
        if commit != 0 { out += " Commit:\(commit)" }
        if vote != 0 { out += " Vote:\(vote)" }
        if entries.count == 1 {
            out += " Entries:[\(entries[0].describe(formatter))]"
        } else if entries.count > 1 {
            out += " Entries:["
            for e in entries { out += "\n\(indent)  " + e.describe(formatter) }
            out += "\n\(indent)]"
        }
        if let s = snapshot, !s.isEmpty {
            out += "\n\(indent)  Snapshot: \(s)"
        }
        if !responses.isEmpty {
            out += " Responses:["
            for r in responses { out += "\n" + r.describe(indent: indent + "  ", formatter) }
            out += "\n\(indent)]"
        }
        return out
    }

    /// A node id in hex, or the name of a local target.
    static func describeTarget(_ id: UInt64) -> String {
        switch id {
        case PeerID.none: "None"
        case PeerID.localAppendThread: "AppendThread"
        case PeerID.localApplyThread: "ApplyThread"
        default: String(id, radix: 16)
        }
    }
}
