// A reader and runner for the cockroachdb/datadriven test file format, which etcd's raft tests
// use. Its rules (comments, argument syntax, how expected output ends, newline normalization) are
// reproduced exactly, so that etcd's files are read as etcd reads them.

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

/// A problem with a test file or with a directive's arguments: the file cannot be run as written.
/// (A harness reports expected errors of the code under test as output instead.)
///
/// datadriven: the `t.Fatalf` calls of the reader and of `ScanArgs`.
public struct DatadrivenError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong, prefixed with the position when known.
    ///
    /// datadriven: the fatal message.
    public var description: String

    /// An error saying `description`.
    ///
    /// datadriven: none (ours).
    public init(_ description: String) {
        self.description = description
    }
}

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

    /// A double-quoted string close to Go's `strconv.Quote` (enough for error messages).
    ///
    /// etcd: `strconv.Quote`.
    public static func quote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7f {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\x" + (hex.count < 2 ? "0" + hex : hex)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}

/// The outcome of one block: what the handler printed (normalized) against what was expected.
///
/// datadriven: one directive run by `runDirective`.
public struct DatadrivenBlockResult: Sendable, Hashable {
    /// The block.
    ///
    /// datadriven: `TestData`.
    public var testCase: DatadrivenTestCase
    /// The handler's output, with a final newline added when it had none (datadriven's rule).
    ///
    /// datadriven: the `actual` of `runDirective`.
    public var actual: String
    /// Set when the handler could not run the block at all (it threw); the file stops there.
    ///
    /// datadriven: a `t.Fatal` inside the test function.
    public var error: String?

    /// A block result.
    ///
    /// datadriven: none (ours).
    public init(testCase: DatadrivenTestCase, actual: String, error: String? = nil) {
        self.testCase = testCase
        self.actual = actual
        self.error = error
    }

    /// Whether the block ran and printed exactly what was expected.
    ///
    /// datadriven: `d.Expected == actual`.
    public var passed: Bool { error == nil && actual == testCase.expected }

    /// A readable account of the failure (empty when the block passed): position, directive,
    /// input, then the expected and actual output (or a line diff when they are long).
    ///
    /// datadriven: the `expected:`/`found:` message of `runDirective`.
    public var failureReport: String {
        if passed { return "" }
        var out = "\(testCase.pos): \(testCase.directive)\n"
        if !testCase.input.isEmpty { out += testCase.input + "\n" }
        if let error {
            return out + "error: \(error)\n"
        }
        let expectedLines = LineDiff.lines(testCase.expected)
        let actualLines = LineDiff.lines(actual)
        if expectedLines.count <= 20 && actualLines.count <= 20 {
            out += "expected:\n\(testCase.expected)"
            out += "actual:\n\(actual)"
        } else {
            out += "diff (-expected +actual):\n"
            out += LineDiff.unified(expectedLines, actualLines, context: 3)
        }
        return out
    }
}

/// The outcome of a whole file.
///
/// datadriven: one `RunTest` call.
public struct DatadrivenFileResult: Sendable, Hashable {
    /// The name the file was read under (used in positions).
    ///
    /// datadriven: `testDataReader.sourceName`.
    public var sourceName: String
    /// The blocks run, in order. Running stops at the first failing block, as datadriven does.
    ///
    /// datadriven: the directives run by `runTestInternal`.
    public var blocks: [DatadrivenBlockResult]
    /// Set when the file could not be read to the end (a malformed directive); blocks before it
    /// were run.
    ///
    /// datadriven: the reader's `t.Fatalf`.
    public var parseError: DatadrivenError?

    /// A file result.
    ///
    /// datadriven: none (ours).
    public init(sourceName: String, blocks: [DatadrivenBlockResult], parseError: DatadrivenError? = nil) {
        self.sourceName = sourceName
        self.blocks = blocks
        self.parseError = parseError
    }

    /// Whether the whole file was read and every block passed.
    ///
    /// datadriven: `!t.Failed()`.
    public var passed: Bool { parseError == nil && blocks.allSatisfy(\.passed) }

    /// The first block that did not pass.
    ///
    /// datadriven: where `RunTest` stops.
    public var firstFailure: DatadrivenBlockResult? { blocks.first { !$0.passed } }

    /// Why the file failed (empty when it passed).
    ///
    /// datadriven: the failing test's message.
    public var failureReport: String {
        if let failure = firstFailure { return failure.failureReport }
        if let parseError { return "\(parseError)\n" }
        return ""
    }
}

/// Reads and runs datadriven files.
///
/// datadriven: `RunTest`, `ParseLine` and the test data reader.
public enum Datadriven {
    /// Splits a directive line into its command and arguments, following datadriven's grammar:
    /// `cmd`, then arguments `key`, `key=value`, `key=(v1, v2)` (values may contain balanced
    /// parentheses; spaces after commas are skipped). An empty line gives an empty command.
    ///
    /// datadriven: `ParseLine`.
    public static func parseLine(_ text: String) throws(DatadrivenError) -> (cmd: String, args: [CmdArg]) {
        let original = trimmed(text)
        if original.isEmpty { return ("", []) }
        var line = Substring(original)
        func failure() -> DatadrivenError {
            let column = original.utf8.count - line.utf8.count + 1
            return DatadrivenError("cannot parse directive at column \(column): \(original)")
        }
        func until(_ stops: Set<Character>) -> Substring {
            let end = line.firstIndex(where: { stops.contains($0) }) ?? line.endIndex
            let prefix = line[..<end]
            line = line[end...]
            return prefix
        }

        let cmd = String(until([" "]))
        if cmd.isEmpty { throw failure() }
        line = Substring(trimmed(line))

        var args: [CmdArg] = []
        while !line.isEmpty {
            var arg = CmdArg(key: String(until([" ", "="])))
            if arg.key.isEmpty { throw failure() }
            if line.first == "=" {
                line = line.dropFirst()
                if line.isEmpty || line.first == " " {
                    arg.vals = [""]
                } else if line.first != "(" {
                    arg.vals = [String(until([" "]))]
                } else {
                    line = line.dropFirst()
                    var done = false
                    while !done {
                        let chars = Array(line)
                        var pos = 0
                        while pos < chars.count && chars[pos] != ")" && chars[pos] != "," {
                            pos += 1
                            if chars[pos - 1] == "(" {
                                guard skipToMatchingParen(chars, &pos) else { throw failure() }
                            }
                        }
                        if pos == chars.count { throw failure() }
                        done = chars[pos] == ")"
                        arg.vals.append(String(chars[..<pos]))
                        line = Substring(trimmed(String(chars[(pos + 1)...])))
                    }
                }
            }
            args.append(arg)
            line = Substring(trimmed(line))
        }
        return (cmd, args)
    }

    /// Advances `pos` just past the `)` closing an already consumed `(`; false if there is none.
    private static func skipToMatchingParen(_ chars: [Character], _ pos: inout Int) -> Bool {
        while pos < chars.count {
            pos += 1
            if chars[pos - 1] == ")" { return true }
            if chars[pos - 1] == "(" {
                guard skipToMatchingParen(chars, &pos) else { return false }
            }
        }
        return false
    }

    /// Go's `strings.TrimSpace`.
    static func trimmed(_ s: some StringProtocol) -> String {
        var sub = Substring(s)
        while let c = sub.first, c.isWhitespace { sub.removeFirst() }
        while let c = sub.last, c.isWhitespace { sub.removeLast() }
        return String(sub)
    }

    /// The blocks of a file, in order, and the error that stopped reading it early (if any).
    ///
    /// Follows datadriven's reader: lines starting with `#` are comments; a directive may continue
    /// on the next line after a trailing `\`; input runs until a `----` line; the expected output
    /// then runs until the first blank line, or, when it starts with a second `----` line, until a
    /// pair of `----` lines (so it may contain blank lines). `subtest` directives are skipped.
    ///
    /// datadriven: `testDataReader.Next`.
    public static func parse(_ text: String, sourceName: String) -> (cases: [DatadrivenTestCase], error: DatadrivenError?) {
        let (cases, _, error) = parseWithSpans(text, sourceName: sourceName)
        return (cases, error)
    }

    /// Where a block's expected output sits in the file, as 0-based line indexes: `start` is the
    /// line after the block's `----` separator, `end` the first line after the output (its
    /// terminating blank line is not part of it; a closing `----` pair is). `start == end` when the
    /// block has no output.
    struct OutputSpan {
        var start: Int
        var end: Int
    }

    /// `parse`, also returning where each block's expected output is (nil for a block without a
    /// `----` separator).
    static func parseWithSpans(
        _ text: String, sourceName: String
    ) -> (cases: [DatadrivenTestCase], spans: [OutputSpan?], error: DatadrivenError?) {
        var reader = LineReader(text)
        var cases: [DatadrivenTestCase] = []
        var spans: [OutputSpan?] = []
        while let raw = reader.next() {
            let lineNumber = reader.lineNumber
            let pos = "\(sourceName):\(lineNumber)"
            var line = trimmed(raw)
            if line.hasPrefix("#") { continue }
            while line.hasSuffix("\\"), let continuation = reader.next() {
                line = String(line.dropLast()) + " " + trimmed(continuation)
            }
            let cmd: String
            let args: [CmdArg]
            do {
                (cmd, args) = try parseLine(line)
            } catch {
                return (cases, spans, DatadrivenError("\(pos): \(error)"))
            }
            if cmd.isEmpty || cmd == "subtest" { continue }

            var input = ""
            var separator = false
            while let inputLine = reader.next() {
                if inputLine == "----" {
                    separator = true
                    break
                }
                input += inputLine + "\n"
            }
            var testCase = DatadrivenTestCase(
                pos: pos, line: lineNumber, cmd: cmd, cmdArgs: args, input: trimmed(input), directiveLine: line)
            var span: OutputSpan?
            if separator {
                let start = reader.lineNumber
                var end = start
                do {
                    testCase.expected = try readExpected(&reader, end: &end)
                } catch {
                    return (cases, spans, DatadrivenError("\(sourceName):\(reader.lineNumber): \(error)"))
                }
                span = OutputSpan(start: start, end: end)
            }
            cases.append(testCase)
            spans.append(span)
        }
        return (cases, spans, nil)
    }

    /// The expected output after a `----` line.
    /// `end` becomes the 0-based index of the first line after the output (see `OutputSpan`).
    ///
    /// datadriven: `testDataReader.readExpected`.
    private static func readExpected(_ reader: inout LineReader, end: inout Int) throws(DatadrivenError) -> String {
        var out = ""
        guard var line = reader.next() else { return "" }
        end = reader.lineNumber - 1
        if line == "----" {
            // Blank lines allowed: read up to a pair of `----` lines.
            end = reader.lineNumber
            while let next = reader.next() {
                end = reader.lineNumber
                if next == "----" {
                    if let second = reader.next() {
                        end = reader.lineNumber
                        if second == "----" {
                            if let after = reader.next(), !after.isEmpty {
                                throw DatadrivenError("non-blank line after end of double ---- separator section")
                            }
                            break
                        }
                        out += next + "\n" + second + "\n"
                        continue
                    }
                }
                out += next + "\n"
            }
            return out
        }
        // Up to the first blank line.
        while !trimmed(line).isEmpty {
            out += line + "\n"
            end = reader.lineNumber
            guard let next = reader.next() else { break }
            line = next
        }
        return out
    }

    /// Runs every block of `text` through `handler` and compares its output with the expected
    /// output. A handler's output gets a final newline if it has none (an empty output stays
    /// empty), as datadriven does. Running stops after the first block that fails or throws
    /// (later blocks usually depend on earlier ones), unless `stopAtFirstFailure` is false; a
    /// throwing handler always stops the file.
    ///
    /// datadriven: `RunTest`.
    public static func run(
        _ text: String, sourceName: String, stopAtFirstFailure: Bool = true,
        _ handler: (DatadrivenTestCase) throws -> String
    ) -> DatadrivenFileResult {
        let (cases, parseError) = parse(text, sourceName: sourceName)
        var blocks: [DatadrivenBlockResult] = []
        for testCase in cases {
            do {
                var actual = try handler(testCase)
                if !actual.isEmpty && !actual.hasSuffix("\n") { actual += "\n" }
                let block = DatadrivenBlockResult(testCase: testCase, actual: actual)
                blocks.append(block)
                if !block.passed && stopAtFirstFailure { return DatadrivenFileResult(sourceName: sourceName, blocks: blocks) }
            } catch {
                blocks.append(DatadrivenBlockResult(testCase: testCase, actual: "", error: "\(error)"))
                return DatadrivenFileResult(sourceName: sourceName, blocks: blocks)
            }
        }
        return DatadrivenFileResult(sourceName: sourceName, blocks: blocks, parseError: parseError)
    }
}

extension Datadriven {
    /// Runs every block of `text` through `handler` and returns the text with each block's expected
    /// output replaced by what the handler printed; comments, directives and inputs are kept as
    /// written. An output with blank lines is written between `----` pairs. Every block runs, failing
    /// or not; the text is returned only if the whole file was read and no handler threw.
    ///
    /// datadriven: `RunTest` with `-rewrite`.
    public static func rewrite(
        _ text: String, sourceName: String, _ handler: (DatadrivenTestCase) throws -> String
    ) -> (text: String?, result: DatadrivenFileResult) {
        let (cases, spans, parseError) = parseWithSpans(text, sourceName: sourceName)
        let lines = LineReader.split(text)
        var out = ""
        var cursor = 0
        var blocks: [DatadrivenBlockResult] = []
        for (testCase, span) in zip(cases, spans) {
            var actual: String
            do {
                actual = try handler(testCase)
            } catch {
                blocks.append(DatadrivenBlockResult(testCase: testCase, actual: "", error: "\(error)"))
                return (nil, DatadrivenFileResult(sourceName: sourceName, blocks: blocks))
            }
            if !actual.isEmpty && !actual.hasSuffix("\n") { actual += "\n" }
            blocks.append(DatadrivenBlockResult(testCase: testCase, actual: actual))
            guard let span else { continue }
            for line in lines[cursor..<span.start] { out += line + "\n" }
            if LineReader.split(actual).contains(where: { trimmed($0).isEmpty }) {
                out += "----\n" + actual + "----\n----\n"
            } else {
                out += actual
            }
            cursor = span.end
        }
        for line in lines[cursor...] { out += line + "\n" }
        let result = DatadrivenFileResult(sourceName: sourceName, blocks: blocks, parseError: parseError)
        return (parseError == nil ? out : nil, result)
    }
}

extension Datadriven {
    /// The transcript of running `text` through `handler`: the text with each block's expected
    /// output replaced by what the handler printed (as `rewrite` writes it), for reading rather
    /// than for writing back. A block whose handler throws gets `error: ...` as its output and ends
    /// the transcript there; a file that cannot be parsed to the end ends with a comment saying
    /// where.
    ///
    /// datadriven: none (ours; what `-rewrite` would write, printed instead).
    public static func transcript(
        _ text: String, sourceName: String, _ handler: (DatadrivenTestCase) throws -> String
    ) -> (text: String, result: DatadrivenFileResult) {
        let (cases, spans, parseError) = parseWithSpans(text, sourceName: sourceName)
        let lines = LineReader.split(text)
        var out = ""
        var cursor = 0
        var blocks: [DatadrivenBlockResult] = []
        for (testCase, span) in zip(cases, spans) {
            guard let span else { continue }
            for line in lines[cursor..<span.start] { out += line + "\n" }
            cursor = span.end
            var actual: String
            do {
                actual = try handler(testCase)
            } catch {
                blocks.append(DatadrivenBlockResult(testCase: testCase, actual: "", error: "\(error)"))
                out += "error: \(error)\n"
                return (out, DatadrivenFileResult(sourceName: sourceName, blocks: blocks))
            }
            if !actual.isEmpty && !actual.hasSuffix("\n") { actual += "\n" }
            blocks.append(DatadrivenBlockResult(testCase: testCase, actual: actual))
            if LineReader.split(actual).contains(where: { trimmed($0).isEmpty }) {
                out += "----\n" + actual + "----\n----\n"
            } else {
                out += actual
            }
        }
        if let parseError {
            out += "# (the file could not be read further: \(parseError))\n"
        } else {
            for line in lines[cursor...] { out += line + "\n" }
        }
        return (out, DatadrivenFileResult(sourceName: sourceName, blocks: blocks, parseError: parseError))
    }
}

/// Lines of a text as Go's `bufio.Scanner` yields them: split at `\n`, a trailing `\r` dropped,
/// no empty line after a final newline.
struct LineReader {
    private let lines: [String]
    private var nextIndex = 0
    /// The number of the line last returned (1-based).
    private(set) var lineNumber = 0

    init(_ text: String) {
        lines = LineReader.split(text).map { line in
            line.utf8.last == 0x0D ? String(decoding: line.utf8.dropLast(), as: UTF8.self) : line
        }
    }

    /// The lines of `text` without their `\n` (split on bytes: Swift treats `\r\n` as one
    /// character); no empty line after a final newline.
    static func split(_ text: String) -> [String] {
        var lines = text.utf8.split(separator: 0x0A, omittingEmptySubsequences: false)
            .map { String(decoding: $0, as: UTF8.self) }
        if text.utf8.last == 0x0A || text.isEmpty { lines.removeLast() }
        return lines
    }

    mutating func next() -> String? {
        guard nextIndex < lines.count else { return nil }
        defer { nextIndex += 1 }
        lineNumber = nextIndex + 1
        return lines[nextIndex]
    }
}

/// A small line diff for failure reports.
enum LineDiff {
    /// The lines of `text` (without their newlines); no trailing empty line.
    static func lines(_ text: String) -> [String] {
        LineReader.split(text)
    }

    /// `-`/`+` lines for what differs between `a` and `b` (longest common subsequence), with
    /// `context` unchanged lines around each change, and `@@ line N` headers.
    static func unified(_ a: [String], _ b: [String], context: Int) -> String {
        // Trim the common prefix and suffix, then run the quadratic LCS on what is left (capped).
        var prefix = 0
        while prefix < a.count && prefix < b.count && a[prefix] == b[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < a.count - prefix && suffix < b.count - prefix
            && a[a.count - 1 - suffix] == b[b.count - 1 - suffix] { suffix += 1 }
        let midA = Array(a[prefix..<(a.count - suffix)])
        let midB = Array(b[prefix..<(b.count - suffix)])

        enum Op { case same(String), removed(String), added(String) }
        var ops: [Op] = a[..<prefix].map { .same($0) }
        if midA.count * midB.count > 4_000_000 {
            ops += midA.map { .removed($0) } + midB.map { .added($0) }
        } else {
            var lcs = [[Int]](repeating: [Int](repeating: 0, count: midB.count + 1), count: midA.count + 1)
            for i in stride(from: midA.count - 1, through: 0, by: -1) {
                for j in stride(from: midB.count - 1, through: 0, by: -1) {
                    lcs[i][j] = midA[i] == midB[j] ? lcs[i + 1][j + 1] + 1 : max(lcs[i + 1][j], lcs[i][j + 1])
                }
            }
            var i = 0
            var j = 0
            while i < midA.count || j < midB.count {
                if i < midA.count && j < midB.count && midA[i] == midB[j] {
                    ops.append(.same(midA[i])); i += 1; j += 1
                } else if i < midA.count && (j == midB.count || lcs[i + 1][j] >= lcs[i][j + 1]) {
                    ops.append(.removed(midA[i])); i += 1
                } else {
                    ops.append(.added(midB[j])); j += 1
                }
            }
        }
        ops += a[(a.count - suffix)...].map { .same($0) }

        var changed = [Bool](repeating: false, count: ops.count)
        for (k, op) in ops.enumerated() {
            if case .same = op { continue }
            for m in max(0, k - context)...min(ops.count - 1, k + context) { changed[m] = true }
        }
        var out = ""
        var lineA = 1
        var inHunk = false
        for (k, op) in ops.enumerated() {
            if changed[k] && !inHunk { out += "@@ expected line \(lineA)\n" }
            inHunk = changed[k]
            switch op {
            case .same(let s):
                if changed[k] { out += "  \(s)\n" }
                lineA += 1
            case .removed(let s):
                out += "- \(s)\n"
                lineA += 1
            case .added(let s):
                out += "+ \(s)\n"
            }
        }
        return out
    }
}
