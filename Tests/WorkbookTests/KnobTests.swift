import Testing
import WorkbookKit
@testable import workbook

/// The chapter programs' flags (`RunOptions`): parsed in one place, refused when unknown, and each
/// raft option they turn shows its consequence in the narration.
@Suite struct KnobTests {
    static func chapter(_ n: Int) throws -> Chapter {
        try #require(Workbook.chapters.first { $0.number == n })
    }

    @Test func parsesTheCommonAndTheChaptersFlags() throws {
        let none = try RunOptions.parse([], flags: [], program: "p")
        #expect(none.seed == 0 && !none.verbose && !none.mermaid && !none.help && none.preVote && none.checkQuorum)
        #expect(none.nodeSeed(3) == 3)
        let some = try RunOptions.parse(["--seed", "7", "--verbose", "--no-prevote", "--no-checkquorum"],
                                        flags: [.noPreVote, .noCheckQuorum], program: "p")
        #expect(some.seed == 7 && some.verbose && !some.preVote && !some.checkQuorum)
        #expect(some.nodeSeed(3) != 3)
        #expect(some.changed == ["--seed 7", "--no-prevote", "--no-checkquorum"])
        let lease = try RunOptions.parse(["--lease", "--skew", "10"], flags: [.lease, .skew], program: "p")
        #expect(lease.leaseReads && lease.skew == 10)
    }

    @Test("bad flags are usage errors", arguments: [
        ["--bogus"], ["--seed"], ["--seed", "x"], ["--seed", "-1"], ["--no-prevote"], ["--skew", "5"], ["mermaid"],
    ])
    func refuses(_ arguments: [String]) throws {
        #expect(throws: WorkbookError.self) { try Self.chapter(3).run(arguments) }
    }

    @Test func aChapterFlagOnAnotherChapterNamesItsOwner() throws {
        do {
            _ = try Self.chapter(3).run(["--no-prevote"])
            Issue.record("chapter 3 took --no-prevote")
        } catch let error as WorkbookError {
            #expect("\(error)".contains("ch03-ready-advance [--seed N]"))
            #expect("\(error)".contains("--no-prevote is not a flag of this chapter, but of ch02-raft-roles"))
        }
    }

    @Test func helpListsEveryFlagOnALine() throws {
        let help = try Self.chapter(2).run(["--help"])
        #expect(help.hasPrefix("usage: ch02-raft-roles [--seed N] [--verbose] [--mermaid] [--yours] [--help] [--no-prevote] [--no-checkquorum]\n"))
        for flag in ["--seed N ", "--verbose ", "--mermaid ", "--yours ", "--help ", "--no-prevote ", "--no-checkquorum "] {
            #expect(help.contains("\n  \(flag)"), "\(flag)")
        }
        #expect(try Self.chapter(5).run(["-h"]).contains("\n  --skew K "))
    }

    @Test func seedZeroIsTheDefaultRunAndOtherSeedsRun() throws {
        let ch02 = try Self.chapter(2)
        let standard = try ch02.run([])
        #expect(try ch02.run(["--seed", "0"]) == standard)
        let other = try ch02.run(["--seed", "7"])
        #expect(other.hasPrefix("Chapter 2: Raft roles\n(run with --seed 7)\n"))
        #expect(other != standard)
        for chapter in Workbook.chapters {
            for seed in ["1", "2", "3"] { _ = try chapter.run(["--seed", seed]) }
        }
    }

    /// `--verbose` hides nothing: the quiet stretches' messages and raft's debug lines appear.
    @Test func verboseShowsWhatIsNormallySummarized() throws {
        let ch02 = try Self.chapter(2)
        let standard = try ch02.run([]), verbose = try ch02.run(["--verbose"])
        #expect(verbose.count > standard.count)
        #expect(!standard.contains("lost: 3->1 MsgHeartbeat"))
        #expect(verbose.contains("lost: 3->1 MsgHeartbeat"))
        #expect(!standard.contains("raft: 1 became pre-candidate at term 1"))
        #expect(verbose.contains("raft: 1 became pre-candidate at term 1"))
        // Chapter 3 shows no raft log lines by default; verbose shows them all.
        let ch03 = try Self.chapter(3)
        #expect(!(try ch03.run([])).contains("    raft: "))
        #expect((try ch03.run(["--verbose"])).contains("    raft: 1 became leader at term 1"))
        // Debug lines too (chapter 7: the leader has no progress for an unknown sender, etc.).
        #expect((try Self.chapter(7).run(["--verbose"])).contains("    raft: DEBUG "))
    }

    @Test func noPreVoteShowsTermInflation() throws {
        let ch02 = try Self.chapter(2)
        let standard = try ch02.run([]), off = try ch02.run(["--no-prevote"])
        #expect(!standard.contains("TERM INFLATION"))
        #expect(standard.contains("its term did not move"))
        #expect(off.contains("== 4. A follower is cut off: without PreVote its term climbs"))
        #expect(off.contains("every campaign raised its term (1 -> 2 -> 3 -> 4)"))
        #expect(off.contains("TERM INFLATION: node 1 came back at term 4"))
        #expect(!off.contains("MsgPreVote"))
    }

    @Test func twoLeadersAtDifferentTermsAreShown() throws {
        let standard = try Self.chapter(2).run([])
        #expect(standard.contains("for now there are TWO LEADERS, at different terms"))
        #expect(standard.contains("  node 2: leader, term 2, lead 2, commit 3, applied 3\n  node 3: leader, term 1, lead 3, commit 2, applied 2\n"))
        #expect(standard.contains("stepped down to follower since quorum is not active"))
    }

    @Test func noCheckQuorumShowsAStaleLeaderTakingAWrite() throws {
        let ch02 = try Self.chapter(2)
        let standard = try ch02.run([]), off = try ch02.run(["--no-checkquorum"])
        #expect(!standard.contains("STALE LEADER"))
        #expect(standard.contains("client -> node 3: propose x=9 -- refused"))
        #expect(off.contains("client -> node 3: propose x=9\n"))
        #expect(off.contains("STALE LEADER: node 3, cut off, still leads term 1 and accepted the write x=9 as entry 1/3; it can never commit."))
        #expect(off.contains("the write x=9 is gone"))
        #expect(!off.contains("stepped down to follower since quorum is not active"))
    }

    @Test func leaseReadsWithASkewedClockAreStale() throws {
        let ch05 = try Self.chapter(5)
        for arguments in [[], ["--lease"], ["--skew", "10"], ["--lease", "--skew", "5"]] {
            let text = try ch05.run(arguments)
            #expect(!text.contains("STALE READ"), "\(arguments)")
            #expect(!text.contains("node 7 serves read"), "\(arguments)")
        }
        let stale = try ch05.run(["--lease", "--skew", "10"])
        #expect(stale.contains("  node 7 serves read \"y:1\" at read index 3 (applied: 3): y=1\n"))
        #expect(stale.contains("STALE READ: node 7 answered y=1 from its lease, after node 8 had committed y=2"))
        #expect(try ch05.run(["--skew", "10"]).contains("a safe read needs a heartbeat round"))
    }

    @Test func workbookRunPassesTheFlagsOn() throws {
        #expect(try Command.parse(["run", "2", "--no-checkquorum", "--seed", "3"])
            == .run(chapter: 2, arguments: ["--no-checkquorum", "--seed", "3"]))
        let lines = Lines()
        let bench = Workbench(chapters: Workbook.chapters,
                              console: Console(out: { lines.out.append($0) }, err: { lines.err.append($0) }),
                              root: ChapterFiles.packageRoot.path)
        #expect(bench.perform(.run(chapter: 2, arguments: ["--no-checkquorum"])) == 0)
        #expect(lines.out.joined(separator: "\n").contains("\nSTALE LEADER: "))
        #expect(bench.perform(.run(chapter: 2, arguments: ["--lease"])) == 1)
        #expect(lines.err.last?.hasPrefix("workbook run 2: usage: ch02-raft-roles") == true)
    }

    /// Chapter 3's diagram shows each Ready's steps, the two followers' identical Readies once.
    @Test func readiesAreDrawnAndCollapsed() throws {
        let diagram = try Self.chapter(3).run(["--mermaid"])
        #expect(diagram.contains("    Note over N1: Ready: persist 1 entry (MustSync), send 2, apply 0, advance\n"))
        #expect(diagram.contains("    Note over N2,N3: nodes 2 and 3 alike: Ready: persist 1 entry (MustSync), send 1, apply 0, advance\n"))
        #expect(!diagram.contains("Note over N2: Ready"))
    }
}
