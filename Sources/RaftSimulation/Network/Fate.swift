/// What the network (or, for storage work, the local disk) does with one message: lose it, or
/// deliver it after `delay` ticks, and maybe deliver a copy after `duplicateDelay` ticks too.
///
/// Delays are what reorder messages: two messages on one link arrive in the order of their
/// delivery times, not of their sending. A delay of 0 delivers within the same step.
public struct Fate: Sendable, Hashable, CustomStringConvertible {
    public var drop: Bool
    public var delay: Int
    public var duplicateDelay: Int?

    public init(drop: Bool = false, delay: Int = 1, duplicateDelay: Int? = nil) {
        self.drop = drop
        self.delay = delay
        self.duplicateDelay = duplicateDelay
    }

    /// The fate a replay gives a message its trace says nothing about: delivered at the next step.
    public static let `default` = Fate()

    /// `drop`, `d3`, or `d3+7` (delivered after 3 ticks, a copy after 7).
    public var description: String {
        if drop { return "drop" }
        if let duplicateDelay { return "d\(delay)+\(duplicateDelay)" }
        return "d\(delay)"
    }

    /// Parses `description`.
    public init?(parsing text: Substring) {
        if text == "drop" {
            self.init(drop: true)
            return
        }
        guard text.first == "d" else { return nil }
        let parts = text.dropFirst().split(separator: "+")
        guard let first = parts.first, let delay = Int(first), delay >= 0 else { return nil }
        var dup: Int?
        if parts.count == 2 {
            guard let d = Int(parts[1]), d >= 0 else { return nil }
            dup = d
        } else if parts.count > 2 {
            return nil
        }
        self.init(delay: delay, duplicateDelay: dup)
    }
}
