import Foundation

/// The hints of a chapter's exercises, from `Sources/Exercises/ChNN/Hints.md`: under
/// `## N.M name`, the steps `### 1`, `### 2`, ... in order.
struct Hints {
    /// The steps of each exercise, by id (`"4.1"`).
    var steps: [String: [String]] = [:]

    init(markdown: String) {
        var current: String?
        var step: [String] = []
        func flushStep() {
            if let current, !step.isEmpty {
                let text = step.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
                if !text.isEmpty { steps[current, default: []].append(text) }
            }
            step = []
        }
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("## ") {
                flushStep()
                current = line.dropFirst(3).split(separator: " ").first.map(String.init)
            } else if line.hasPrefix("### ") {
                flushStep()
            } else if current != nil {
                step.append(String(line))
            }
        }
        flushStep()
    }
}

/// The questions of a chapter and their collapsed answers, from its `## Questions` section:
/// numbered items, each answer in a `<details>` block under its question.
struct Questions {
    struct Question {
        var text: String
        var answer: String?
    }

    var items: [Question] = []

    init(markdown: String) {
        var inSection = false
        var question: [String] = []
        var answer: [String]?
        var inAnswer = false
        func flush() {
            guard !question.isEmpty else { return }
            let q = question.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
            let a = answer.map { $0.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines) }
            items.append(Question(text: q, answer: a))
            question = []
            answer = nil
        }
        for raw in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = String(raw)
            if line.hasPrefix("## ") {
                if inSection { flush() }
                inSection = line.hasPrefix("## Questions")
                continue
            }
            guard inSection else { continue }
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("<details>") { inAnswer = true; answer = []; continue }
            if trimmed.hasPrefix("</details>") { inAnswer = false; continue }
            if inAnswer {
                if !trimmed.hasPrefix("<summary>") { answer?.append(trimmed) }
                continue
            }
            if let first = trimmed.split(separator: " ").first, first.hasSuffix("."), Int(first.dropLast()) != nil {
                flush()
                question = [trimmed]
            } else if !question.isEmpty && !trimmed.isEmpty {
                question.append(trimmed)
            }
        }
        if inSection { flush() }
    }
}
