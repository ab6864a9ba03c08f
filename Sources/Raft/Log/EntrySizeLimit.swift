extension Collection where Element == Entry {
    /// How many leading entries fit in `maxSize` bytes of encoded size, counting at least one when
    /// the collection is not empty (an entry larger than the limit still goes out alone, or the log
    /// could never make progress past it).
    ///
    /// This is the rule of `[Entry].limitedTo(encodedSize:)`, computed as a count so that the log
    /// can cut a slice of its own buffer and copy only the entries it returns, once.
    ///
    /// etcd: `limitSize`.
    package func prefixCount(withinEncodedSize maxSize: UInt64) -> Int {
        var iterator = makeIterator()
        guard let first = iterator.next() else { return 0 }
        var size = UInt64(first.encodedSize)
        var taken = 1
        while let next = iterator.next() {
            size &+= UInt64(next.encodedSize)
            if size > maxSize { return taken }
            taken += 1
        }
        return taken
    }
}

extension ArraySlice where Element == Entry {
    /// The longest prefix within `maxSize` (at least one entry) as an array, copying only what is
    /// returned; a slice that spans its whole buffer is handed over without a copy.
    ///
    /// etcd: `limitSize`.
    package func limitedArray(encodedSize maxSize: UInt64) -> [Entry] {
        let n = prefixCount(withinEncodedSize: maxSize)
        return n == count ? Array(self) : Array(self.prefix(n))
    }
}
