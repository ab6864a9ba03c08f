/// A command line mistake, printed with the usage.
struct UsageError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// `--name value` and `--flag` options, taken one by one so that leftovers can be reported.
struct Flags {
    private var values: [String: String] = [:]
    private var switches: Set<String> = []

    /// Options that take no value.
    static let switchNames: Set<String> = ["demo", "join", "verbose", "help", "h", "die-with-parent"]

    init(_ args: [String]) throws {
        var k = 0
        while k < args.count {
            let arg = args[k]
            guard arg.hasPrefix("-") else { throw UsageError("unexpected argument \(arg)") }
            var name = String(arg.drop(while: { $0 == "-" }))
            var value: String?
            if let eq = name.firstIndex(of: "=") {
                value = String(name[name.index(after: eq)...])
                name = String(name[..<eq])
            }
            if Self.switchNames.contains(name) && value == nil {
                switches.insert(name)
            } else if let value {
                values[name] = value
            } else {
                guard k + 1 < args.count else { throw UsageError("--\(name) needs a value") }
                k += 1
                values[name] = args[k]
            }
            k += 1
        }
    }

    mutating func bool(_ name: String) -> Bool { switches.remove(name) != nil }

    mutating func string(_ name: String) -> String? { values.removeValue(forKey: name) }

    mutating func required(_ name: String) throws -> String {
        guard let v = string(name) else { throw UsageError("--\(name) is required") }
        return v
    }

    mutating func int(_ name: String) throws -> Int? {
        guard let raw = string(name) else { return nil }
        guard let v = Int(raw) else { throw UsageError("--\(name) must be a number, not \(raw)") }
        return v
    }

    func expectConsumed() throws {
        if let extra = (Array(values.keys) + Array(switches)).sorted().first {
            throw UsageError("unknown option --\(extra)")
        }
    }
}
