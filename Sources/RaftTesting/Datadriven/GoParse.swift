import RaftSupport

/// Go's `strconv` parsing, with its error texts, for harnesses that must print what etcd prints.
///
/// etcd: Go's `strconv`, as used by datadriven and etcd's harnesses.
public enum GoParse {
    /// Go's `strconv.ParseUint(s, 10, 64)`: decimal digits only, no sign.
    ///
    /// etcd: `strconv.ParseUint`.
    public static func uint64(_ s: String) throws(DatadrivenError) -> UInt64 {
        guard !s.isEmpty, s.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
            throw DatadrivenError("strconv.ParseUint: parsing \(quote(s)): invalid syntax")
        }
        guard let n = UInt64(s) else {
            throw DatadrivenError("strconv.ParseUint: parsing \(quote(s)): value out of range")
        }
        return n
    }

    /// Go's `strconv.ParseInt(s, 10, 64)`: an optional sign, then decimal digits.
    ///
    /// etcd: `strconv.ParseInt`.
    public static func int64(_ s: String) throws(DatadrivenError) -> Int64 {
        var digits = Substring(s)
        if digits.first == "+" || digits.first == "-" { digits = digits.dropFirst() }
        guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
            throw DatadrivenError("strconv.ParseInt: parsing \(quote(s)): invalid syntax")
        }
        guard let n = Int64(s) else {
            throw DatadrivenError("strconv.ParseInt: parsing \(quote(s)): value out of range")
        }
        return n
    }

    /// Go's `strconv.ParseBool`: `1 t T TRUE true True` and `0 f F FALSE false False`.
    ///
    /// etcd: `strconv.ParseBool`.
    public static func bool(_ s: String) throws(DatadrivenError) -> Bool {
        switch s {
        case "1", "t", "T", "TRUE", "true", "True": return true
        case "0", "f", "F", "FALSE", "false", "False": return false
        default: throw DatadrivenError("strconv.ParseBool: parsing \(quote(s)): invalid syntax")
        }
    }

    /// `s` as Go's `strconv.Quote` writes it: the same escapes as `%q`.
    ///
    /// etcd: `strconv.Quote`.
    public static func quote(_ s: String) -> String { GoQuote.quote(Array(s.utf8)) }
}
