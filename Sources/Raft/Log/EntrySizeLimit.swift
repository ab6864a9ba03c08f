/// Entry sizes come in two units, and raft never mixes them (etcd gives each its own type, and so
/// do we, so that the compiler keeps them apart):
///
/// - the encoding size, `Entry.encodedSize` summed: what an entry costs on the wire and in memory.
///   `maxSizePerMsg` (cutting appends), `maxCommittedSizePerReady` and the applying-size
///   accounting (`acceptApplying`, `appliedTo`) count in it.
/// - the payload size (`EntryPayloadSize`), the bytes of `data` alone: it does not depend on the
///   index or the term, so an entry keeps it when re-proposed, and an empty entry (a new
///   leader's) is free. `maxUncommittedEntriesSize` and the inflight byte limit count in it.
///
/// `Config` and `Storage` take plain `UInt64` limits, as etcd's do.
///
/// etcd: `entryEncodingSize`.
package struct EntryEncodingSize: EntrySizeUnit {
    package var bytes: UInt64
    package init(_ bytes: UInt64) { self.bytes = bytes }
}

/// The size of entries' payloads; see `EntryEncodingSize` for which limit counts in which unit.
///
/// etcd: `entryPayloadSize`.
package struct EntryPayloadSize: EntrySizeUnit {
    package var bytes: UInt64
    package init(_ bytes: UInt64) { self.bytes = bytes }
}

/// What the two size units share: a byte count with the arithmetic raft's accounting needs.
package protocol EntrySizeUnit: Sendable, Hashable, Comparable, ExpressibleByIntegerLiteral, CustomStringConvertible {
    var bytes: UInt64 { get set }
    init(_ bytes: UInt64)
}

extension EntrySizeUnit {
    package init(integerLiteral value: UInt64) { self.init(value) }
    /// No limit (etcd's `noLimit`, `math.MaxUint64`).
    package static var unlimited: Self { Self(noLimit) }
    package var description: String { String(bytes) }
    package static func < (a: Self, b: Self) -> Bool { a.bytes < b.bytes }
    package static func + (a: Self, b: Self) -> Self { Self(a.bytes + b.bytes) }
    package static func - (a: Self, b: Self) -> Self { Self(a.bytes - b.bytes) }
    package static func += (a: inout Self, b: Self) { a.bytes += b.bytes }
    /// Wrapping, as Go's unsigned arithmetic.
    package static func &+ (a: Self, b: Self) -> Self { Self(a.bytes &+ b.bytes) }
    package static func &- (a: Self, b: Self) -> Self { Self(a.bytes &- b.bytes) }
    package static func &+= (a: inout Self, b: Self) { a.bytes &+= b.bytes }
}

/// The total encoded size of `ents`.
///
/// etcd: `entsSize`.
package func entsSize<Entries: Sequence<Entry>>(_ ents: Entries) -> EntryEncodingSize {
    var size: EntryEncodingSize = 0
    for e in ents { size &+= EntryEncodingSize(UInt64(e.encodedSize)) }
    return size
}

/// The payload size of one entry.
///
/// etcd: `payloadSize`.
package func payloadSize(_ e: Entry) -> EntryPayloadSize { EntryPayloadSize(UInt64(e.data.count)) }

/// The total payload size of `ents`.
///
/// etcd: `payloadsSize`.
package func payloadsSize<Entries: Sequence<Entry>>(_ ents: Entries) -> EntryPayloadSize {
    var size: EntryPayloadSize = 0
    for e in ents { size &+= payloadSize(e) }
    return size
}

/// The longest prefix of `ents` whose encoded size stays within `maxSize`, but never empty when
/// `ents` is not: a single entry larger than the limit still goes out alone, or nothing would
/// progress.
///
/// etcd: `limitSize`.
package func limitSize(_ ents: [Entry], _ maxSize: EntryEncodingSize) -> [Entry] {
    let n = ents.prefixCount(withinEncodedSize: maxSize)
    return n == ents.count ? ents : Array(ents.prefix(n))
}

extension Collection where Element == Entry {
    /// How many leading entries `limitSize` keeps: those within `maxSize` bytes of encoded size,
    /// and at least one when the collection is not empty.
    ///
    /// Computed as a count so that the log can cut a slice of its own buffer and copy only the
    /// entries it returns, once.
    ///
    /// etcd: `limitSize`.
    package func prefixCount(withinEncodedSize maxSize: EntryEncodingSize) -> Int {
        var iterator = makeIterator()
        guard let first = iterator.next() else { return 0 }
        var size = EntryEncodingSize(UInt64(first.encodedSize))
        var taken = 1
        while let next = iterator.next() {
            size &+= EntryEncodingSize(UInt64(next.encodedSize))
            if size > maxSize { return taken }
            taken += 1
        }
        return taken
    }
}

extension ArraySlice where Element == Entry {
    /// `limitSize` of a slice, as an array, copying only what is returned; a slice that spans its
    /// whole buffer is handed over without a copy.
    ///
    /// etcd: `limitSize`.
    package func limitedArray(encodedSize maxSize: EntryEncodingSize) -> [Entry] {
        let n = prefixCount(withinEncodedSize: maxSize)
        return n == count ? Array(self) : Array(self.prefix(n))
    }
}
