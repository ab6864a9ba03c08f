/// One argument of a directive line: `key`, `key=value` or `key=(v1, v2, ...)`.
///
/// datadriven: `CmdArg`.
public struct CmdArg: Sendable, Hashable, CustomStringConvertible {
    /// The argument's name.
    ///
    /// datadriven: `CmdArg.Key`.
    public var key: String
    /// Its values: none for a bare `key`, one for `key=value`, several for `key=(a, b)`. Values
    /// are kept exactly as written (no trimming beyond what the format does).
    ///
    /// datadriven: `CmdArg.Vals`.
    public var vals: [String]

    /// An argument named `key` with values `vals`.
    ///
    /// datadriven: `CmdArg{Key: ..., Vals: ...}`.
    public init(key: String, vals: [String] = []) {
        self.key = key
        self.vals = vals
    }

    /// The argument as it could be written on a directive line: `k`, `k=v` or `k=(a, b)`.
    ///
    /// datadriven: `CmdArg.String`.
    public var description: String {
        switch vals.count {
        case 0: key
        case 1: "\(key)=\(vals[0])"
        default: "\(key)=(\(vals.joined(separator: ", ")))"
        }
    }
}
