/// One block of a test file: a directive (command and arguments), its input lines, and the
/// output expected from it.
///
/// datadriven: `TestData`.
public struct DatadrivenTestCase: Sendable, Hashable {
    /// `file:line` of the directive, for messages.
    ///
    /// datadriven: `TestData.Pos`.
    public var pos: String
    /// The directive's line number (1-based).
    ///
    /// datadriven: the line part of `TestData.Pos`.
    public var line: Int
    /// The command: the directive's first word.
    ///
    /// datadriven: `TestData.Cmd`.
    public var cmd: String
    /// The directive's arguments, in order.
    ///
    /// datadriven: `TestData.CmdArgs`.
    public var cmdArgs: [CmdArg]
    /// The lines between the directive and `----`, trimmed of surrounding whitespace.
    ///
    /// datadriven: `TestData.Input`.
    public var input: String
    /// The output expected, each line ending in a newline; empty when none.
    ///
    /// datadriven: `TestData.Expected`.
    public var expected: String
    /// The directive line as written in the file (continuation lines joined), if read from one.
    ///
    /// datadriven: none (ours, for reports).
    public var directiveLine: String?

    /// A block with the given parts.
    ///
    /// datadriven: `TestData{...}`.
    public init(
        pos: String, line: Int, cmd: String, cmdArgs: [CmdArg] = [], input: String = "", expected: String = "",
        directiveLine: String? = nil
    ) {
        self.pos = pos
        self.line = line
        self.cmd = cmd
        self.cmdArgs = cmdArgs
        self.input = input
        self.expected = expected
        self.directiveLine = directiveLine
    }

    /// The directive as written in the file, or else rebuilt from the parts: `cmd k=v k=(a, b)`.
    ///
    /// datadriven: none (ours, for reports).
    public var directive: String {
        directiveLine ?? ([cmd] + cmdArgs.map(\.description)).joined(separator: " ")
    }

    /// Whether an argument named `key` is present.
    ///
    /// datadriven: `TestData.HasArg`.
    public func hasArg(_ key: String) -> Bool {
        cmdArgs.contains { $0.key == key }
    }

    /// The first argument named `key`, if any.
    ///
    /// datadriven: the lookup inside `TestData.ScanArgs`.
    public func arg(_ key: String) -> CmdArg? {
        cmdArgs.first { $0.key == key }
    }

    /// The single value of the first argument named `key`; an error (with datadriven's wording)
    /// when the argument is missing or has another number of values.
    ///
    /// datadriven: `TestData.ScanArgs` with one destination.
    public func scanArg(_ key: String) throws(DatadrivenError) -> String {
        guard let arg = arg(key) else {
            throw DatadrivenError("\(pos): missing argument: \(key)")
        }
        guard arg.vals.count == 1 else {
            throw DatadrivenError("\(pos): \(key): got 1 destinations, but \(arg.vals.count) values")
        }
        return arg.vals[0]
    }

    /// `scanArg(key)` parsed as Go's `strconv.ParseBool` would.
    ///
    /// datadriven: `TestData.ScanArgs` into a `bool`.
    public func scanBool(_ key: String) throws(DatadrivenError) -> Bool {
        let value = try scanArg(key)
        do {
            return try GoParse.bool(value)
        } catch {
            throw DatadrivenError("\(pos): \(key): failed to scan argument 0: \(error)")
        }
    }

    /// `scanArg(key)` parsed as Go's `strconv.ParseUint` would.
    ///
    /// datadriven: `TestData.ScanArgs` into a `uint64`.
    public func scanUInt64(_ key: String) throws(DatadrivenError) -> UInt64 {
        let value = try scanArg(key)
        do {
            return try GoParse.uint64(value)
        } catch {
            throw DatadrivenError("\(pos): \(key): failed to scan argument 0: \(error)")
        }
    }
}
