import Foundation

/// The code excerpts in the chapters, and the check that each one still matches the source it
/// quotes (Crafting Interpreters style: the prose shows real code, and a test keeps it real).
///
/// An excerpt is a ```` ```swift ```` block whose first line is a marker naming the file (relative to
/// the package root) and the symbol it shows:
///
///     // Sources/Raft/Log/Unstable.swift: Unstable.truncateAndAppend
///         package func truncateAndAppend(_ ents: [Entry]) throws(StorageError) {
///             // ...
///             let from = first.index
///
/// The block keeps the source's indentation. A line holding only `// ...` elides source lines (any
/// number, zero included); every run of lines between elisions must appear in the file as
/// consecutive lines, the runs in order. Lines are compared with trailing whitespace trimmed.
/// Illustrative code that quotes no source starts with `// not from the sources` instead.
enum Excerpts {
    static let elision = "// ..."
    static let notFromSources = "// not from the sources"

    /// The keywords that introduce a declaration of the marker's symbol.
    static let declarationKeywords = [
        "func", "var", "let", "init", "struct", "class", "enum", "case", "extension", "actor", "protocol", "typealias",
    ]

    /// One ```` ```swift ```` block of a chapter.
    struct Block {
        /// The chapter line of the opening fence (1-based).
        let fenceLine: Int
        /// The lines between the fences, each with its chapter line number.
        let lines: [(number: Int, text: String)]
    }

    /// The marker of an excerpt: the quoted file and symbol.
    struct Marker: Equatable {
        let path: String
        let symbol: String
    }

    /// The ```` ```swift ```` blocks of a Markdown text, and a problem for a block that is not closed.
    static func swiftBlocks(in text: String) -> (blocks: [Block], unclosed: Int?) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var blocks: [Block] = []
        var index = 0
        while index < lines.count {
            guard lines[index].trimmingCharacters(in: .whitespaces) == "```swift" else {
                index += 1
                continue
            }
            let fence = index
            // A fence indented inside a list indents its content as much; that is not the source's.
            let indent = lines[fence].prefix { $0 == " " }.count
            var body: [(number: Int, text: String)] = []
            index += 1
            while index < lines.count, lines[index].trimmingCharacters(in: .whitespaces) != "```" {
                let line = lines[index]
                let dropped = min(indent, line.prefix { $0 == " " }.count)
                body.append((index + 1, String(line.dropFirst(dropped))))
                index += 1
            }
            if index == lines.count { return (blocks, fence + 1) }
            blocks.append(Block(fenceLine: fence + 1, lines: body))
            index += 1
        }
        return (blocks, nil)
    }

    /// The marker on `line` (`// <path>: <Symbol.name>`), or nil.
    static func marker(_ line: String) -> Marker? {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasPrefix("// "), let separator = trimmed.range(of: ": ") else { return nil }
        let path = String(trimmed[trimmed.index(trimmed.startIndex, offsetBy: 3)..<separator.lowerBound])
        let symbol = String(trimmed[separator.upperBound...])
        guard path.hasSuffix(".swift"), !path.contains(" "), !path.hasPrefix("/"), !path.contains(".."),
              !symbol.isEmpty, !symbol.contains(" ")
        else { return nil }
        return Marker(path: path, symbol: symbol)
    }

    /// Whether `source` declares the last component of `symbol` (`Unstable.truncateAndAppend`:
    /// a line such as `func truncateAndAppend(`).
    static func declares(_ source: [String], _ symbol: String) -> Bool {
        let name = String(symbol.split(separator: ".").last ?? Substring(symbol))
        let pattern: String
        if name == "init" {
            pattern = #"\binit\s*[(<]"#
        } else {
            let keywords = declarationKeywords.joined(separator: "|")
            pattern = #"\b("# + keywords + #")\s+"# + NSRegularExpression.escapedPattern(for: name) + #"\b"#
        }
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return false }
        return source.contains { line in
            regex.firstMatch(in: line, range: NSRange(line.startIndex..., in: line)) != nil
        }
    }

    static func trimmingTrailingWhitespace(_ line: String) -> String {
        var line = Substring(line)
        while let last = line.last, last == " " || last == "\t" || last == "\r" { line = line.dropLast() }
        return String(line)
    }

    /// Everything wrong with the excerpts of one chapter, one message each. `source` reads a file
    /// given its path relative to the package root (nil when it cannot).
    static func problems(chapter: String, text: String, source: (String) -> String?) -> [String] {
        let (blocks, unclosed) = swiftBlocks(in: text)
        var problems: [String] = []
        if let unclosed {
            problems.append("\(chapter):\(unclosed): the ```swift block opened here is never closed")
        }
        for block in blocks {
            if let problem = problem(chapter: chapter, block: block, source: source) {
                problems.append(problem)
            }
        }
        return problems
    }

    /// What is wrong with one block, or nil.
    static func problem(chapter: String, block: Block, source: (String) -> String?) -> String? {
        let at = "\(chapter):\(block.fenceLine)"
        guard let first = block.lines.first else { return "\(at): empty ```swift block" }
        if first.text.trimmingCharacters(in: .whitespaces) == notFromSources { return nil }
        guard let marker = marker(first.text) else {
            return "\(at): a ```swift block must start with a marker `// <path>: <Symbol.name>` "
                + "(or `\(notFromSources)`); it starts with `\(first.text)`"
        }
        let quoted = "the excerpt of \(marker.path) (\(marker.symbol))"
        guard let text = source(marker.path) else { return "\(at): \(quoted): no such file" }
        let sourceLines = text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { trimmingTrailingWhitespace(String($0)) }
        guard declares(sourceLines, marker.symbol) else {
            return "\(at): \(quoted): \(marker.path) declares no `\(marker.symbol.split(separator: ".").last ?? "")`"
        }

        // The runs of lines between elisions.
        var runs: [[(number: Int, text: String)]] = [[]]
        for line in block.lines.dropFirst() {
            if line.text.trimmingCharacters(in: .whitespaces) == elision {
                runs.append([])
            } else {
                runs[runs.count - 1].append((line.number, trimmingTrailingWhitespace(line.text)))
            }
        }
        runs.removeAll { $0.isEmpty }
        if runs.isEmpty { return "\(at): \(quoted): no code after the marker" }

        // Each run must follow the previous one in the file.
        var cursor = 0
        for run in runs {
            var found: Int?
            var longest = 0
            var start = cursor
            while start + run.count <= sourceLines.count {
                var matched = 0
                while matched < run.count, sourceLines[start + matched] == run[matched].text { matched += 1 }
                if matched == run.count {
                    found = start
                    break
                }
                longest = max(longest, matched)
                start += 1
            }
            guard let found else {
                // The first line that does not match: the one after the longest partial match.
                let line = run[longest]
                let place = longest == 0
                    ? "is not in the file" + (cursor == 0 ? "" : " after its line \(cursor)")
                    : "does not follow `\(run[longest - 1].text.trimmingCharacters(in: .whitespaces))` there"
                return "\(at): \(quoted) does not match the source: chapter line \(line.number), "
                    + "`\(line.text)`, \(place)"
            }
            cursor = found + run.count
        }
        return nil
    }
}
