/// One implementation of every chapter's exercises: either the learner's (`Sources/Exercises`) or
/// the reference (adapters over the real library, `Sources/WorkbookChecks/Reference`).
///
/// The checks only ever see this, which is how the same checks run on both.
public struct Solutions: Sendable {
    public var ch01: any Ch01Exercises
    public var ch02: any Ch02Exercises
    public var ch03: any Ch03Exercises
    public var ch04: any Ch04Exercises
    public var ch05: any Ch05Exercises
    public var ch06: any Ch06Exercises
    public var ch07: any Ch07Exercises
    public var ch08: any Ch08Exercises
    public var ch09: any Ch09Exercises

    public init(
        ch01: any Ch01Exercises, ch02: any Ch02Exercises, ch03: any Ch03Exercises,
        ch04: any Ch04Exercises, ch05: any Ch05Exercises, ch06: any Ch06Exercises,
        ch07: any Ch07Exercises, ch08: any Ch08Exercises, ch09: any Ch09Exercises
    ) {
        self.ch01 = ch01
        self.ch02 = ch02
        self.ch03 = ch03
        self.ch04 = ch04
        self.ch05 = ch05
        self.ch06 = ch06
        self.ch07 = ch07
        self.ch08 = ch08
        self.ch09 = ch09
    }

    /// The answers of the real library.
    public static let reference = Solutions(
        ch01: Ch01Reference(), ch02: Ch02Reference(), ch03: Ch03Reference(),
        ch04: Ch04Reference(), ch05: Ch05Reference(), ch06: Ch06Reference(),
        ch07: Ch07Reference(), ch08: Ch08Reference(), ch09: Ch09Reference())
}
