enum Bench {
    static func run(_ args: [String]) async throws -> Int32 { 0 }
}
