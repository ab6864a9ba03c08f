import Raft

/// The simulator's only source of randomness: xoshiro256** seeded through SplitMix64.
///
/// Everything random in a run (the scenario, faults, workload, message fates, and the election
/// timeouts of every raft node) is drawn from generators derived from one seed, so that a seed
/// replays exactly, on any machine and in any build mode. The system generator is never used,
/// and neither is `Hasher`, whose seed changes from process to process.
///
/// A value type: copying one forks the stream, which is how each node gets its own generator.
public struct SimRandom: RandomNumberGenerator, Sendable {
    private var s0: UInt64
    private var s1: UInt64
    private var s2: UInt64
    private var s3: UInt64

    /// A generator whose whole stream is determined by `seed`.
    public init(seed: UInt64) {
        var sm = SplitMix64(seed: seed)
        s0 = sm.next()
        s1 = sm.next()
        s2 = sm.next()
        s3 = sm.next()
        // xoshiro's state must not be all zero; SplitMix64 never yields four zeros in a row, but
        // keep the guarantee local.
        if s0 | s1 | s2 | s3 == 0 { s0 = 0x9E37_79B9_7F4A_7C15 }
    }

    /// A generator for one purpose, independent of how many values other streams of the same seed
    /// have drawn: the seed and the labels are mixed into a fresh seed.
    public init(seed: UInt64, stream labels: UInt64...) {
        var h = seed
        for label in labels { h = SplitMix64.mix(h ^ SplitMix64.mix(label &+ 0x632B_E59B_D9B4_E019)) }
        self.init(seed: h)
    }

    public mutating func next() -> UInt64 {
        let result = rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotl(s3, 45)
        return result
    }

    /// True with probability `p` (0 never, 1 always).
    public mutating func chance(_ p: Double) -> Bool {
        if p <= 0 { return false }
        if p >= 1 { return true }
        return Double(next() >> 11) * 0x1.0p-53 < p
    }

    /// A uniform integer in `range`.
    public mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &self) }

    /// A uniform double in `[range.lowerBound, range.upperBound)`.
    public mutating func double(_ range: Range<Double>) -> Double { Double.random(in: range, using: &self) }

    /// A uniformly chosen element, nil when `items` is empty.
    public mutating func pick<C: Collection>(_ items: C) -> C.Element? {
        guard !items.isEmpty else { return nil }
        let k = Int.random(in: 0..<items.count, using: &self)
        return items[items.index(items.startIndex, offsetBy: k)]
    }

    @inline(__always) private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }
}

/// SplitMix64 (Raft's seeded generator) spreads a seed over xoshiro's state and mixes labels into seeds.
typealias SplitMix64 = SeededRandomNumberGenerator
