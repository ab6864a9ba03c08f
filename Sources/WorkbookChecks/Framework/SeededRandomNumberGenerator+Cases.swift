import Raft

extension SeededRandomNumberGenerator {
    /// `count` inputs drawn by `make` from a generator seeded with `seed`: the property checks'
    /// inputs are the same on every machine, so a failure can be reproduced.
    public static func cases<Input>(_ count: Int, seed: UInt64, _ make: (inout SeededRandomNumberGenerator) -> Input) -> [Input] {
        var rng = SeededRandomNumberGenerator(seed: seed)
        return (0..<count).map { _ in make(&rng) }
    }
}
