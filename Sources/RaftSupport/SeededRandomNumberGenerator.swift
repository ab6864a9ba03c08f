/// A small, fast random number generator (SplitMix64) that gives the same sequence for the same
/// seed on every machine.
///
/// Raft draws each node's randomized election timeout from `Config.randomNumberGenerator`. Give
/// every node a generator with its own fixed seed and a run replays exactly: tests, simulations and
/// the workbook's chapter programs rely on it. (etcd uses a global random source, which is why its
/// tests set timeouts by hand.) Not for anything that needs unpredictability.
///
/// `package`, not public: an application that wants replayable timeouts passes its own generator
/// in `Config.randomNumberGenerator`; the tests, the simulator, the workbook and its exercises
/// use this one.
package struct SeededRandomNumberGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    package init(seed: UInt64) { state = seed }

    package mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return Self.mix(state)
    }

    /// SplitMix64's finalizer: a bijective mix of 64 bits, also a good cheap hash (the simulator
    /// uses it to derive seeds and digests).
    package static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
