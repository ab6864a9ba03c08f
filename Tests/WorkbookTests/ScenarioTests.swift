import Foundation
import Testing
@testable import WorkbookKit

/// The chapter programs: deterministic, checked against what they narrate, strict about their
/// arguments.
@Suite struct ScenarioTests {
    /// Two runs print the same: seeded timeouts, explicit ticks, a single-threaded executor for
    /// the `Node` actors, no clock.
    @Test(arguments: Workbook.chapters)
    func runsRepeatExactly(chapter: Chapter) throws {
        let first = try chapter.run([])
        #expect(first.hasPrefix("Chapter \(chapter.number): \(chapter.title)\n"))
        #expect(try chapter.run([]) == first)
    }

    @Test(arguments: Workbook.chapters)
    func diagramIsASequenceDiagramWithArrows(chapter: Chapter) throws {
        let diagram = try chapter.run(["--mermaid"])
        #expect(diagram.hasPrefix("sequenceDiagram\n    participant N"))
        #expect(diagram.contains("->>"))
        #expect(!diagram.contains(";"))
    }

    @Test func unknownArgumentsAreRefused() throws {
        let chapter = try #require(Workbook.chapters.first)
        #expect(throws: WorkbookError.self) { try chapter.run(["--bogus"]) }
    }

    /// A scenario whose tasks all wait for each other ends with an error, not a hang.
    @Test func stuckAsyncScenarioThrows() {
        #expect(throws: WorkbookError.self) {
            try RunLoopExecutor.run { () async -> Int in
                await withCheckedContinuation { (_: CheckedContinuation<Void, Never>) in }
                return 0
            }
        }
    }

    @Test func runLoopExecutorRunsTasksAndActorsInOrder() throws {
        actor Counter {
            var log: [Int] = []
            func add(_ n: Int) { log.append(n) }
        }
        let log = try RunLoopExecutor.run { () async -> [Int] in
            let counter = Counter()
            await withTaskGroup(of: Void.self) { group in
                for n in 0..<3 { group.addTask { await counter.add(n) } }
            }
            return await counter.log
        }
        #expect(log == [0, 1, 2])
    }
}
