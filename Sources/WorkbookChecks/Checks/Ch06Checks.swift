import Raft

/// The checks of chapter 6, log replication and flow control.
enum Ch06Checks {
    static let exercises = [committing, window]

    // MARK: - 6.1 The majority's committed index

    static let committing = Exercise(
        ExerciseID(6, 1), "the majority's committed index",
        summary: "The highest index a majority of voters has acknowledged (MajorityConfig.committedIndex).",
        symbol: "committedIndex(voters:acked:)",
        hint: """
            Collect one index per voter (acked[id] ?? 0; ignore every other node), sort them from \
            highest to lowest, and take the one at position len(voters)/2 (counting from 0): \
            that many voters plus one — a majority — have acknowledged at least that index. \
            Handle the empty configuration first.
            """,
        subject: { $0.ch06 },
        checks: [
            Check("the middle of three voters decides") { ch, expect in
                expect.equal(ch.committedIndex(voters: [1, 2, 3], acked: [1: 5, 2: 7, 3: 6]), 6,
                             "committedIndex(voters: [1, 2, 3], acked: [1: 5, 2: 7, 3: 6])")
            },
            Check("an even number of voters needs more than half") { ch, expect in
                expect.equal(ch.committedIndex(voters: [1, 2, 3, 4], acked: [1: 5, 2: 7, 3: 6, 4: 8]), 6,
                             "committedIndex(voters: [1, 2, 3, 4], acked: [1: 5, 2: 7, 3: 6, 4: 8])")
            },
            Check("a voter that acknowledged nothing counts as 0") { ch, expect in
                expect.equal(ch.committedIndex(voters: [1, 2, 3], acked: [1: 5, 2: 7]), 5,
                             "committedIndex(voters: [1, 2, 3], acked: [1: 5, 2: 7])")
                expect.equal(ch.committedIndex(voters: [1, 2, 3, 4, 5], acked: [1: 9, 2: 8]), 0,
                             "committedIndex(voters: [1, 2, 3, 4, 5], acked: [1: 9, 2: 8])")
            },
            Check("nodes that are not voters do not count") { ch, expect in
                expect.equal(ch.committedIndex(voters: [1, 2, 3], acked: [1: 9, 2: 3, 3: 2, 4: 9, 5: 9]), 3,
                             "committedIndex(voters: [1, 2, 3], acked: [1: 9, 2: 3, 3: 2, 4: 9, 5: 9])")
            },
            Check("an empty configuration holds nothing back") { ch, expect in
                expect.equal(ch.committedIndex(voters: [], acked: [:]), UInt64.max, "committedIndex(voters: [], acked: [:])")
                expect.equal(ch.committedIndex(voters: [1], acked: [1: 4]), 4, "committedIndex(voters: [1], acked: [1: 4])")
            },
            .agreesWithReference(
                "agrees with MajorityConfig.committedIndex on 300 random configurations",
                reference: Ch06Reference(),
                inputs: commitCases,
                describe: { "committedIndex(voters: \($0.voters), acked: \(dictionary($0.acked)))" },
                { ch, c in ch.committedIndex(voters: c.voters, acked: c.acked) }),
        ])

    struct CommitCase: Sendable {
        let voters: [UInt64]
        let acked: [UInt64: UInt64]
    }

    static let commitCases: [CommitCase] = SeededRandomNumberGenerator.cases(300, seed: 61) { rng in
        let voters = (UInt64(1)...7).filter { _ in Int.random(in: 0..<3, using: &rng) == 0 }
        var acked: [UInt64: UInt64] = [:]
        for id in UInt64(1)...9 where Bool.random(using: &rng) {
            acked[id] = UInt64.random(in: 0...20, using: &rng)
        }
        return CommitCase(voters: voters, acked: acked)
    }

    /// A dictionary as a Swift literal with sorted keys: `[1: 5, 2: 7]`.
    static func dictionary(_ d: [UInt64: UInt64]) -> String {
        d.isEmpty ? "[:]" : "[" + d.keys.sorted().map { "\($0): \(d[$0] ?? 0)" }.joined(separator: ", ") + "]"
    }

    // MARK: - 6.2 The in-flight window

    typealias Flight = InflightWindow.Flight

    static let window = Exercise(
        ExerciseID(6, 2), "the in-flight window",
        summary: "Flow control: record appends in flight, free acknowledged ones, tell when the window is full.",
        symbol: "add(_:index:bytes:), freeLE(_:_:), isFull(_:)",
        hint: """
            The window is a queue, oldest first. `add` appends a flight at the end. `freeLE` drops \
            flights from the front while their index is <= the acknowledged index (indexes only \
            grow, so it can stop at the first larger one). `isFull` is true when the queue holds \
            `size` flights, or when there is a byte limit (`maxBytes != 0`) and the bytes in flight \
            have reached it (>=, not >).
            """,
        subject: { $0.ch06 },
        checks: [
            Check("add records the append at the end of the window") { ch, expect in
                let one = InflightWindow(size: 3, flights: [Flight(5)])
                expect.equal(ch.add(one, index: 7, bytes: 0), InflightWindow(size: 3, flights: [Flight(5), Flight(7)]),
                             "add(\(one), index: 7, bytes: 0)")
                let empty = InflightWindow(size: 3)
                expect.equal(ch.add(empty, index: 5, bytes: 10), InflightWindow(size: 3, flights: [Flight(5, bytes: 10)]),
                             "add(\(empty), index: 5, bytes: 10)")
            },
            Check("the window is full when it holds size appends") { ch, expect in
                let rows: [(InflightWindow, Bool)] = [
                    (InflightWindow(size: 2, flights: [Flight(5), Flight(7)]), true),
                    (InflightWindow(size: 2, flights: [Flight(5)]), false),
                    (InflightWindow(size: 1, flights: [Flight(3)]), true),
                    (InflightWindow(size: 1), false),
                ]
                for (window, full) in rows { expect.equal(ch.isFull(window), full, "isFull(\(window))") }
            },
            Check("with a byte limit, the window is full once maxBytes are in flight") { ch, expect in
                let rows: [(InflightWindow, Bool)] = [
                    (InflightWindow(size: 10, maxBytes: 100, flights: [Flight(1, bytes: 60), Flight(2, bytes: 40)]), true),
                    (InflightWindow(size: 10, maxBytes: 100, flights: [Flight(1, bytes: 60), Flight(2, bytes: 30)]), false),
                    (InflightWindow(size: 10, maxBytes: 100, flights: [Flight(1, bytes: 100)]), true),
                    (InflightWindow(size: 10, maxBytes: 0, flights: [Flight(1, bytes: 1000)]), false),
                ]
                for (window, full) in rows { expect.equal(ch.isFull(window), full, "isFull(\(window))") }
            },
            Check("freeLE frees every append up to the acknowledged index") { ch, expect in
                let window = InflightWindow(size: 5, flights: [Flight(5), Flight(7), Flight(9)])
                let rows: [(UInt64, [Flight])] = [
                    (7, [Flight(9)]), (8, [Flight(9)]), (4, window.flights), (100, []),
                ]
                for (index, left) in rows {
                    expect.equal(ch.freeLE(window, index), InflightWindow(size: 5, flights: left), "freeLE(\(window), \(index))")
                }
            },
            Check("a window fills up, drains, and fills again") { ch, expect in
                var window = InflightWindow(size: 3)
                var trail = "InflightWindow(size: 3)"
                for index: UInt64 in 1...3 {
                    window = ch.add(window, index: index, bytes: 0)
                    trail += " → add \(index)"
                }
                expect.equal(ch.isFull(window), true, "isFull after \(trail)")
                window = ch.freeLE(window, 2)
                trail += " → freeLE 2"
                expect.equal(window, InflightWindow(size: 3, flights: [Flight(3)]), "the window after \(trail)")
                expect.equal(ch.isFull(window), false, "isFull after \(trail)")
                for index: UInt64 in 4...5 {
                    window = ch.add(window, index: index, bytes: 0)
                    trail += " → add \(index)"
                }
                expect.equal(window, InflightWindow(size: 3, flights: [Flight(3), Flight(4), Flight(5)]), "the window after \(trail)")
                expect.equal(ch.isFull(window), true, "isFull after \(trail)")
            },
            .agreesWithReference(
                "agrees with Inflights on 300 random windows",
                reference: Ch06Reference(),
                inputs: windowCases,
                describe: { $0.description },
                { ch, c in c.answer(ch) }),
        ])

    /// One operation on one window, for the property check.
    struct WindowCase: Sendable, CustomStringConvertible {
        enum Operation: Sendable {
            case add(UInt64, bytes: UInt64)
            case freeLE(UInt64)
            case isFull
        }

        let window: InflightWindow
        let operation: Operation

        /// The implementation's answer, as text so that all three operations compare alike.
        func answer(_ ch: any Ch06Exercises) -> String {
            switch operation {
            case .add(let index, let bytes): ch.add(window, index: index, bytes: bytes).description
            case .freeLE(let index): ch.freeLE(window, index).description
            case .isFull: "\(ch.isFull(window))"
            }
        }

        var description: String {
            switch operation {
            case .add(let index, let bytes): "add(\(window), index: \(index), bytes: \(bytes))"
            case .freeLE(let index): "freeLE(\(window), \(index))"
            case .isFull: "isFull(\(window))"
            }
        }
    }

    /// Windows built the way the leader builds them (adding while not full), then one operation.
    static let windowCases: [WindowCase] = SeededRandomNumberGenerator.cases(300, seed: 62) { rng in
        let size = Int.random(in: 1...4, using: &rng)
        let maxBytes: UInt64 = Bool.random(using: &rng) ? 0 : UInt64.random(in: 10...40, using: &rng)
        var window = InflightWindow(size: size, maxBytes: maxBytes)
        var index = UInt64.random(in: 1...5, using: &rng)
        for _ in 0..<Int.random(in: 0...5, using: &rng) {
            let full = window.flights.count >= size || (maxBytes != 0 && window.bytes >= maxBytes)
            if full { break }
            window.flights.append(Flight(index, bytes: UInt64.random(in: 0...15, using: &rng)))
            index += UInt64.random(in: 1...3, using: &rng)
        }
        let full = window.flights.count >= size || (maxBytes != 0 && window.bytes >= maxBytes)
        let operation: WindowCase.Operation
        switch Int.random(in: 0..<3, using: &rng) {
        case 0 where !full: operation = .add(index, bytes: UInt64.random(in: 0...15, using: &rng))
        case 1: operation = .freeLE(UInt64.random(in: 0...(index + 1), using: &rng))
        default: operation = .isFull
        }
        return WindowCase(window: window, operation: operation)
    }
}
