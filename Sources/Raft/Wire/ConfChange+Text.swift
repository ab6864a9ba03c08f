/// A conf change text that could not be parsed.
package struct ConfChangeParseError: Error, Sendable, Hashable, CustomStringConvertible {
    package var description: String
}

extension ConfChangeSingle {
    /// Parses etcd's compact text for a list of changes: space-separated tokens `vN` (make N a voter),
    /// `lN` (make N a learner), `rN` (remove N) and `uN` (update N). An empty text is no changes.
    ///
    ///     try ConfChangeSingle.parse("v1 r2 l3 u4")
    ///
    /// etcd: `ConfChangesFromString`.
    package static func parse(_ text: String) throws(ConfChangeParseError) -> [ConfChangeSingle] {
        // Like etcd: trim, then split on single spaces, so that two spaces make an empty (and
        // refused) token; the errors carry Go's texts.
        var trimmed = Substring(text)
        while let c = trimmed.first, c.isWhitespace { trimmed.removeFirst() }
        while let c = trimmed.last, c.isWhitespace { trimmed.removeLast() }
        guard !trimmed.isEmpty else { return [] }
        var result: [ConfChangeSingle] = []
        for token in trimmed.split(separator: " ", omittingEmptySubsequences: false) {
            guard token.count >= 2, let kind = token.first else {
                throw ConfChangeParseError(description: "unknown token \(token)")
            }
            let type: ConfChangeType
            switch kind {
            case "v": type = .confChangeAddNode
            case "l": type = .confChangeAddLearnerNode
            case "r": type = .confChangeRemoveNode
            case "u": type = .confChangeUpdateNode
            default: throw ConfChangeParseError(description: "unknown input: \(token)")
            }
            let digits = token.dropFirst()
            let quoted = GoQuote.quote(Array(digits.utf8))
            guard digits.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
                throw ConfChangeParseError(description: "strconv.ParseUint: parsing \(quoted): invalid syntax")
            }
            guard let id = UInt64(digits) else {
                throw ConfChangeParseError(description: "strconv.ParseUint: parsing \(quoted): value out of range")
            }
            result.append(ConfChangeSingle(type: type, nodeID: id))
        }
        return result
    }

    /// The compact text for one change: `v1`, `l2`, `r3` or `u4`.
    package var compactDescription: String {
        let letter: String
        switch type {
        case .confChangeAddNode: letter = "v"
        case .confChangeAddLearnerNode: letter = "l"
        case .confChangeRemoveNode: letter = "r"
        case .confChangeUpdateNode: letter = "u"
        }
        return letter + String(nodeID)
    }
}

extension Array where Element == ConfChangeSingle {
    /// The compact text for a list of changes, the inverse of `ConfChangeSingle.parse`.
    ///
    /// etcd: `ConfChangesToString`.
    package var compactDescription: String {
        map(\.compactDescription).joined(separator: " ")
    }
}
