import RaftTesting
import Testing

@Suite struct DatadrivenParsingTests {
    @Test func directiveForms() throws {
        let (cmd, args) = try Datadriven.parseLine("  committed cfg=(1, 2,3) bare e= idx=(_,5) f=x(y)  ")
        #expect(cmd == "committed")
        #expect(
            args == [
                CmdArg(key: "cfg", vals: ["1", "2", "3"]),
                CmdArg(key: "bare"),
                CmdArg(key: "e", vals: [""]),
                CmdArg(key: "idx", vals: ["_", "5"]),
                CmdArg(key: "f", vals: ["x(y)"]),
            ])
        let empty = try Datadriven.parseLine("   ")
        #expect(empty.cmd == "" && empty.args.isEmpty)
    }

    @Test func nestedParenthesesInValues() throws {
        let (_, args) = try Datadriven.parseLine("cmd exprs=(a + (b + c), d + f)")
        #expect(args == [CmdArg(key: "exprs", vals: ["a + (b + c)", "d + f"])])
    }

    @Test func malformedDirectivesAreErrorsNotCrashes() {
        for line in ["cmd k=(1,2", "cmd k=(a(b)", "cmd =x", "cmd k =v"] {
            #expect(throws: DatadrivenError.self, "\(line)") { try Datadriven.parseLine(line) }
        }
        do {
            _ = try Datadriven.parseLine("committed cfg=(1,2 idx=(1)")
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "cannot parse directive at column 18: committed cfg=(1,2 idx=(1)")
        }
    }

    @Test func argumentDescriptions() {
        #expect(CmdArg(key: "k").description == "k")
        #expect(CmdArg(key: "k", vals: ["v"]).description == "k=v")
        #expect(CmdArg(key: "k", vals: ["a", "b"]).description == "k=(a, b)")
    }

    @Test func blocksCommentsAndContinuations() {
        let text = """
            # a comment
            first a=1 \\
              b=2
            input line 1

            input line 3
            ----
            out 1
            out 2

               # indented comment

            second
            ----

            third
            """
        let (cases, error) = Datadriven.parse(text, sourceName: "t")
        #expect(error == nil)
        #expect(cases.count == 3)
        #expect(cases[0].pos == "t:2")
        #expect(cases[0].cmdArgs == [CmdArg(key: "a", vals: ["1"]), CmdArg(key: "b", vals: ["2"])])
        #expect(cases[0].input == "input line 1\n\ninput line 3")
        #expect(cases[0].expected == "out 1\nout 2\n")
        #expect(cases[1].cmd == "second" && cases[1].expected == "" && cases[1].pos == "t:13")
        #expect(cases[2].cmd == "third" && cases[2].expected == "" && cases[2].input == "")
    }

    @Test func doubleSeparatorAllowsBlankLines() {
        let text = "cmd\n----\n----\nline 1\n\nline 3\n----\nnot the end\n----\n----\n\nnext\n----\nx\n"
        let (cases, error) = Datadriven.parse(text, sourceName: "t")
        #expect(error == nil)
        #expect(cases.count == 2)
        #expect(cases[0].expected == "line 1\n\nline 3\n----\nnot the end\n")
        #expect(cases[1].cmd == "next" && cases[1].expected == "x\n")

        let bad = Datadriven.parse("cmd\n----\n----\nx\n----\n----\ngarbage\n", sourceName: "t")
        #expect(bad.error != nil)
    }

    @Test func windowsLineEndings() {
        let (cases, _) = Datadriven.parse("cmd k=v\r\n----\r\nout\r\n", sourceName: "t")
        #expect(cases.first?.expected == "out\n")
        #expect(cases.first?.cmdArgs == [CmdArg(key: "k", vals: ["v"])])
    }

    @Test func outputNormalization() {
        // A missing final newline is added; an empty output matches an empty expectation.
        let result = Datadriven.run("a\n----\nx\n\nb\n----\n", sourceName: "t") { d in d.cmd == "a" ? "x" : "" }
        #expect(result.passed)
        #expect(result.blocks.count == 2)
        // But an extra newline is a difference.
        let extra = Datadriven.run("a\n----\nx\n", sourceName: "t") { _ in "x\n\n" }
        #expect(!extra.passed)
    }

    @Test func runningStopsAtTheFirstFailureOrError() {
        let text = "a\n----\n1\n\nb\n----\n2\n\nc\n----\n3\n"
        var seen: [String] = []
        let failing = Datadriven.run(text, sourceName: "t") { d in
            seen.append(d.cmd)
            return d.cmd == "b" ? "wrong" : (d.cmd == "a" ? "1" : "3")
        }
        #expect(!failing.passed)
        #expect(seen == ["a", "b"])
        #expect(failing.firstFailure?.testCase.cmd == "b")

        let throwing = Datadriven.run(text, sourceName: "t") { d in
            if d.cmd == "a" { throw DatadrivenError("boom") }
            return ""
        }
        #expect(throwing.blocks.count == 1)
        #expect(throwing.failureReport.contains("error: boom"))
    }

    /// `raft-conformance --print`: every command followed by what the handler printed, comments
    /// kept, whether or not it matches the file; a throwing block ends the transcript.
    @Test func transcriptShowsOurOutputAfterEachCommand() {
        let text = "# a comment\na\n----\nexpected\n\nb k=v\n----\n2\n"
        let (transcript, result) = Datadriven.transcript(text, sourceName: "t") { d in d.cmd == "a" ? "ours" : "x\n\ny"
        }
        #expect(transcript == "# a comment\na\n----\nours\n\nb k=v\n----\n----\nx\n\ny\n----\n----\n")
        #expect(result.blocks.map(\.passed) == [false, false])

        let (stopped, _) = Datadriven.transcript(text, sourceName: "t") { d in
            if d.cmd == "b" { throw DatadrivenError("boom") }
            return "expected"
        }
        #expect(stopped == "# a comment\na\n----\nexpected\n\nb k=v\n----\nerror: boom\n")
    }

    @Test func parseErrorsKeepEarlierBlocks() {
        let result = Datadriven.run("a\n----\n1\n\nb k=(\n----\n2\n", sourceName: "t") { _ in "1" }
        #expect(result.blocks.count == 1)
        #expect(!result.passed)
        #expect(result.failureReport.hasPrefix("t:5: cannot parse directive"))
    }

    @Test func longOutputsAreDiffed() {
        let expected = (1...30).map { "line \($0)\n" }.joined()
        let actual = expected.replacingOccurrences(of: "line 17\n", with: "line seventeen\n")
        let result = Datadriven.run("cmd\n----\n" + expected, sourceName: "t") { _ in actual }
        #expect(!result.passed)
        #expect(result.failureReport.contains("- line 17\n+ line seventeen\n"))
        #expect(!result.failureReport.contains("line 2\n"))
    }

    @Test func scanningArguments() throws {
        let d = DatadrivenTestCase(
            pos: "t:1", line: 1, cmd: "x",
            cmdArgs: [
                CmdArg(key: "b", vals: ["True"]), CmdArg(key: "n", vals: ["42"]), CmdArg(key: "two", vals: ["1", "2"]),
            ])
        #expect(try d.scanBool("b"))
        #expect(try d.scanUInt64("n") == 42)
        #expect(throws: DatadrivenError.self) { try d.scanBool("n") }
        #expect(throws: DatadrivenError.self) { try d.scanArg("two") }
        #expect(throws: DatadrivenError.self) { try d.scanArg("missing") }
        #expect(throws: DatadrivenError.self) { try GoParse.uint64("+5") }
        #expect(throws: DatadrivenError.self) { try GoParse.uint64("18446744073709551616") }
        #expect(try GoParse.int64("-7") == -7)
    }
}

@Suite struct HarnessEdgeCaseTests {
    @Test func quorumHarnessRejectsBadArguments() {
        var harness = QuorumHarness()
        for line in [
            "committed cfg=(1) idx=(0)", "vote cfg=(1) votes=(maybe)", "committed cfg=(x) idx=(1)",
            "committed cfg=(1) cfgj=(zero,2) idx=(1,2)", "committed nonsense=(1)", "frobnicate cfg=(1) idx=(1)",
        ] {
            do {
                let (cmd, args) = try Datadriven.parseLine(line)
                let d = DatadrivenTestCase(pos: "t:1", line: 1, cmd: cmd, cmdArgs: args)
                #expect(throws: (any Error).self, "\(line)") { try harness.handle(d) }
            } catch {
                Issue.record("\(line): \(error)")
            }
        }
    }

    /// Our interaction commands refuse malformed arguments instead of guessing.
    @Test func interactionCommandsRejectBadArguments() throws {
        var harness = InteractionHarness()
        let setup = try Datadriven.parseLine("add-nodes 2 voters=(1,2) index=2")
        _ = try harness.handle(DatadrivenTestCase(pos: "t:1", line: 1, cmd: setup.cmd, cmdArgs: setup.args))
        for line in [
            "tick 1", "tick 1 x", "tick 1 2 3", "read-index 1", "report-snapshot 1 2",
            "report-snapshot 1 2 status=maybe", "report-snapshot 1 status=finish",
            "add-nodes 1 max-uncommitted-size=lots", "add-nodes 1 disable-proposal-forwarding=perhaps",
        ] {
            let (cmd, args) = try Datadriven.parseLine(line)
            let d = DatadrivenTestCase(pos: "t:2", line: 2, cmd: cmd, cmdArgs: args)
            #expect(throws: (any Error).self, "\(line)") { try harness.handle(d) }
        }
        let ok = try Datadriven.parseLine("tick 2 1")
        #expect(try harness.handle(DatadrivenTestCase(pos: "t:3", line: 3, cmd: ok.cmd, cmdArgs: ok.args)) == "ok")
    }

    @Test func confChangeHarnessCountsEveryBlock() throws {
        var harness = ConfChangeHarness()
        let unknown = try harness.handle(DatadrivenTestCase(pos: "t:1", line: 1, cmd: "bogus"))
        #expect(unknown == "unknown command")
        let out = try harness.handle(DatadrivenTestCase(pos: "t:2", line: 2, cmd: "simple", input: "v1"))
        #expect(out == "voters=(1)\n1: StateProbe match=0 next=1\n")
        #expect(harness.changer.lastIndex == 2)
        let spaces = try harness.handle(DatadrivenTestCase(pos: "t:3", line: 3, cmd: "simple", input: "v1  v2"))
        #expect(spaces == "unknown token ")
        #expect(throws: DatadrivenError.self) {
            try harness.handle(
                DatadrivenTestCase(
                    pos: "t:4", line: 4, cmd: "enter-joint", cmdArgs: [CmdArg(key: "autoleave", vals: ["maybe"])],
                    input: "v2"))
        }
    }
}

@Suite struct DatadrivenRewriteTests {
    /// Comments, directives, inputs and blank lines stay; outputs are replaced, an output with a
    /// blank line goes between `----` pairs, and a block that had no output gets one.
    @Test func rewriteReplacesOnlyOutputs() {
        let text = """
            # a comment
            echo one
            ----
            stale

            echo two
            input line
            ----
            ----
            old

            text
            ----
            ----

            # another comment
            echo three
            ----

            blank
            ----
            keep

            """
        let outputs = ["echo": ["1", "2\n\nmore\n", "3\n"], "blank": ["a\n\nb"]]
        var seen: [String: Int] = [:]
        let (rewritten, result) = Datadriven.rewrite(text, sourceName: "t") { d in
            defer { seen[d.cmd, default: 0] += 1 }
            return outputs[d.cmd]![seen[d.cmd, default: 0]]
        }
        #expect(!result.passed)
        #expect(
            rewritten == """
                # a comment
                echo one
                ----
                1

                echo two
                input line
                ----
                ----
                2

                more
                ----
                ----

                # another comment
                echo three
                ----
                3

                blank
                ----
                ----
                a

                b
                ----
                ----

                """)
        // Running the rewritten file passes.
        seen = [:]
        let rerun = Datadriven.run(rewritten ?? "", sourceName: "t") { d in
            defer { seen[d.cmd, default: 0] += 1 }
            return outputs[d.cmd]![seen[d.cmd, default: 0]]
        }
        #expect(rerun.passed, "\(rerun.failureReport)")
    }

    /// A file that already matches comes back unchanged; a throwing block leaves no text.
    @Test func rewriteIsIdempotentAndRefusesErrors() {
        let text = "a\n----\nx\n\nb\n----\ny\n"
        let (same, result) = Datadriven.rewrite(text, sourceName: "t") { $0.cmd == "a" ? "x" : "y\n" }
        #expect(same == text)
        #expect(result.passed)
        struct Boom: Error {}
        let (none, failed) = Datadriven.rewrite(text, sourceName: "t") { _ in throw Boom() }
        #expect(none == nil)
        #expect(failed.blocks.first?.error != nil)
    }
}
