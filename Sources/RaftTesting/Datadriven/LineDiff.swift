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
            && a[a.count - 1 - suffix] == b[b.count - 1 - suffix]
        { suffix += 1 }
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
