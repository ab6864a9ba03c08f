/// The application's state machine in every scenario: a map from keys to values, changed by
/// committed entries whose data reads `key=value`.
///
/// Raft never looks inside entries; this is the part of the program raft exists to serve. Every
/// node that applies the same committed entries in the same order ends with the same map.
public struct KeyValueStore: Sendable, Hashable, CustomStringConvertible {
    public private(set) var values: [String: String] = [:]

    public init() {}

    /// Rebuilds the store from `snapshotData`.
    public init(snapshotData: [UInt8]) {
        for line in String(decoding: snapshotData, as: UTF8.self).split(separator: "\n") {
            _ = apply(Array(line.utf8))
        }
    }

    public subscript(key: String) -> String? { values[key] }

    /// Applies one command. Returns false for data that is not `key=value`, such as the empty
    /// entry a new leader appends, which changes nothing.
    @discardableResult
    public mutating func apply(_ data: [UInt8]) -> Bool {
        let text = String(decoding: data, as: UTF8.self)
        guard let equals = text.firstIndex(of: "=") else { return false }
        values[String(text[..<equals])] = String(text[text.index(after: equals)...])
        return true
    }

    /// The whole state, to put in a snapshot: one `key=value` line per key, in key order, so that
    /// equal stores give equal bytes.
    public var snapshotData: [UInt8] {
        Array(values.keys.sorted().map { "\($0)=\(values[$0] ?? "")" }.joined(separator: "\n").utf8)
    }

    /// `{x=1, y=2}`, in key order.
    public var description: String {
        "{" + values.keys.sorted().map { "\($0)=\(values[$0] ?? "")" }.joined(separator: ", ") + "}"
    }
}
