/// Where the narration of a run on the learner's code departs from the library's run.
struct RunComparison {
    let yours: String
    let reference: String

    /// One line when they agree; otherwise the first differing line of each, with a few lines of
    /// context, and how many lines differ in all.
    var summary: String {
        guard yours != reference else { return "Your run narrates exactly as the library's run does." }
        let a = yours.split(separator: "\n", omittingEmptySubsequences: false)
        let b = reference.split(separator: "\n", omittingEmptySubsequences: false)
        var k = 0
        while k < a.count, k < b.count, a[k] == b[k] { k += 1 }
        var out = "Your run departs from the library's at line \(k + 1) of the narration:\n"
        for line in b[max(0, k - 2)..<k] { out += "    \(line)\n" }
        out += "  yours:\n"
        for line in a[k..<min(a.count, k + 4)] { out += "  + \(line)\n" }
        out += "  the library's:\n"
        for line in b[k..<min(b.count, k + 4)] { out += "  - \(line)\n" }
        let differing = zip(a, b).filter { $0 != $1 }.count + abs(a.count - b.count)
        out += "(\(differing) of \(max(a.count, b.count)) lines differ; the rest of yours is above)"
        return out
    }
}
