import Raft

/// Chapter 6 answered by the library's `MajorityConfig` and `Inflights`.
struct Ch06Reference: Ch06Exercises {
    func committedIndex(voters: [UInt64], acked: [UInt64: UInt64]) -> UInt64 {
        MajorityConfig(voters).committedIndex(MapAckIndexer(acked))
    }

    func add(_ window: InflightWindow, index: UInt64, bytes: UInt64) -> InflightWindow {
        guard var real = Ch06Reference.inflights(window), !real.full else { return window }
        real.add(index, bytes: bytes)
        var result = window
        result.flights.append(InflightWindow.Flight(index, bytes: bytes))
        return Ch06Reference.checked(result, against: real) ?? window
    }

    func freeLE(_ window: InflightWindow, _ index: UInt64) -> InflightWindow {
        guard var real = Ch06Reference.inflights(window) else { return window }
        real.freeLE(index)
        var result = window
        result.flights = Array(window.flights.suffix(real.count))
        return Ch06Reference.checked(result, against: real) ?? window
    }

    func isFull(_ window: InflightWindow) -> Bool {
        Ch06Reference.inflights(window)?.full ?? false
    }

    /// The real window holding `window`'s flights, or nil when they could not all have been
    /// added (the window filled up before the last one).
    static func inflights(_ window: InflightWindow) -> Inflights? {
        var real = Inflights(size: window.size, maxBytes: window.maxBytes)
        for flight in window.flights {
            if real.full { return nil }
            real.add(flight.index, bytes: flight.bytes)
        }
        return real
    }

    /// `model`, after making sure that it is what the real window holds (`Inflights` does not
    /// expose each flight's bytes, so the model carries them, and its indexes are checked).
    static func checked(_ model: InflightWindow, against real: Inflights) -> InflightWindow? {
        guard real.indexes == model.flights.map(\.index), real.bytes == model.bytes else { return nil }
        return model
    }
}
