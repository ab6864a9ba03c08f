// A reader and runner for the cockroachdb/datadriven test file format, which etcd's raft tests
// use. Its rules (comments, argument syntax, how expected output ends, newline normalization) are
// reproduced exactly, so that etcd's files are read as etcd reads them.

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
    public static func parse(_ text: String, sourceName: String) -> (
        cases: [DatadrivenTestCase], error: DatadrivenError?
    ) {
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
                if !block.passed && stopAtFirstFailure {
                    return DatadrivenFileResult(sourceName: sourceName, blocks: blocks)
                }
            } catch {
                blocks.append(DatadrivenBlockResult(testCase: testCase, actual: "", error: "\(error)"))
                return DatadrivenFileResult(sourceName: sourceName, blocks: blocks)
            }
        }
        return DatadrivenFileResult(sourceName: sourceName, blocks: blocks, parseError: parseError)
    }
}
