import Raft

/// What reading one segment file found: its records, where each began, and where the valid part
/// ends.
struct WALSegmentScan {
    var records: [(offset: Int, record: WALRecord)] = []
    /// The offset just past the last good record.
    var validEnd = 0
    /// Set when the segment ends in a torn record (only allowed for the last segment): the
    /// offset it starts at and why it is considered torn.
    var torn: (offset: Int, reason: String)?
}

/// The WAL refuses to open: a record before the tail does not check out. Serving from such a
/// log could hand out wrong data, so the node must not start; the message names the file and
/// byte offset so that an operator can look.
public struct WALCorruption: Error, Sendable, CustomStringConvertible {
    public var file: String
    public var offset: Int
    public var reason: String

    public var description: String {
        "WAL corrupted in \(file) at offset \(offset): \(reason); refusing to start (move the data directory away to rejoin empty, or restore it)"
    }
}

/// A segment file's name: `<sequence>-<first index>.wal`, both as 16 hex digits, so that names
/// sort in log order and the first index a segment may hold is known without reading it.
struct WALSegmentName: Comparable {
    var sequence: UInt64
    var firstIndex: UInt64

    var fileName: String { hex16(sequence) + "-" + hex16(firstIndex) + ".wal" }

    init(sequence: UInt64, firstIndex: UInt64) {
        self.sequence = sequence
        self.firstIndex = firstIndex
    }

    init?(fileName: String) {
        guard fileName.hasSuffix(".wal") else { return nil }
        let parts = fileName.dropLast(4).split(separator: "-")
        guard parts.count == 2, parts[0].count == 16, parts[1].count == 16,
              let s = UInt64(parts[0], radix: 16), let f = UInt64(parts[1], radix: 16) else { return nil }
        sequence = s
        firstIndex = f
    }

    static func < (a: WALSegmentName, b: WALSegmentName) -> Bool { a.sequence < b.sequence }
}

func hex16(_ v: UInt64) -> String {
    let s = String(v, radix: 16)
    return String(repeating: "0", count: max(0, 16 - s.count)) + s
}

enum WALSegmentReader {
    /// The sector size torn writes are assumed to respect: disks persist whole sectors (512 bytes
    /// or a multiple) and the kernel copies a write into the page cache a page (a multiple) at a
    /// time, so a write cut short by a crash leaves its bytes up to such a boundary and none after.
    static let sectorSize = 512

    /// Reads every record of `bytes` (the content of `file`); `isLast` says whether it is the
    /// newest segment, the only one a crash can have left unfinished.
    ///
    /// In the last segment, the log ends normally at the first record offset from which the file
    /// holds only zeros: the unused part of a preallocated segment (or nothing, at the end of
    /// the file). A record there that does not check out is **torn**, to be cut off with a
    /// warning, when it is what a write interrupted by a crash leaves:
    /// - the file ends inside it (a partial header, or a sound length that runs past the end);
    /// - or everything from its payload's start to the end of the file is zero (never written);
    /// - or everything from a sector boundary inside it to the end of the file is zero (written
    ///   up to that boundary only), whether its header check or its checksum failed.
    ///
    /// Anything else is **corruption**: a complete record that fails its checks with nonzero
    /// bytes after it (damage in the middle, or damage to the last record itself), a zero-length
    /// record, an undecodable payload, and any flaw at all in a segment that is not the last
    /// (those are cut back to their size, durably, before the next segment exists). The one
    /// blind spot, shared with etcd's torn-write check: a damaged last record whose own trailing
    /// zero bytes span a sector boundary, with only zeros after it, reads as torn.
    static func scan(_ bytes: [UInt8], file: String, isLast: Bool) throws(WALCorruption) -> WALSegmentScan {
        var scan = WALSegmentScan()
        var offset = 0
        // Where the file's final run of zeros begins (the end when it ends in a nonzero byte):
        // only the last segment may end in zeros, so the others get their size.
        var zerosStart = bytes.count
        if isLast {
            while zerosStart > 0 && bytes[zerosStart - 1] == 0 { zerosStart -= 1 }
        }
        /// Whether the record at `offset`, running to `end`, was written only up to a sector
        /// boundary (or not at all past `offset`) with only zeros after that.
        func writtenUpToABoundary(end: Int) -> Bool {
            let from = max(zerosStart, offset + 1)
            let boundary = (from + sectorSize - 1) / sectorSize * sectorSize
            return boundary < end
        }
        func fail(_ reason: String) throws(WALCorruption) -> Never {
            throw WALCorruption(file: file, offset: offset, reason: reason)
        }
        while offset < bytes.count {
            // A last segment's zero tail (its preallocated remainder) is its normal end.
            if isLast && offset >= zerosStart { break }
            let left = bytes.count - offset
            if left < WALRecord.headerSize {
                guard isLast else { try fail("a partial record header (\(left) bytes) in a segment that is not the last") }
                scan.torn = (offset, "a partial record header of \(left) bytes")
                break
            }
            var header = ByteReader(bytes, offset: offset)
            // The header is there (checked above), so these reads cannot fail.
            let rawLength = (try? header.u32("length")) ?? 0
            let check = (try? header.u32("length check")) ?? 0
            let crc = (try? header.u32("crc")) ?? 0
            let length = Int(rawLength)
            if check != WALRecord.lengthCheck(rawLength) {
                if isLast && writtenUpToABoundary(end: offset + WALRecord.headerSize) {
                    scan.torn = (offset, "a record header written only up to a sector boundary")
                    break
                }
                try fail("damaged record header (length check mismatch)")
            }
            if length == 0 { try fail("a record of length 0") }
            let end = offset + WALRecord.headerSize + length
            if end > bytes.count {
                guard isLast else { try fail("a record of \(length) bytes runs past the end of the segment") }
                scan.torn = (offset, "a record of \(length) bytes cut short after \(left - WALRecord.headerSize)")
                break
            }
            let body = Array(bytes[(offset + WALRecord.headerSize)..<end])
            if CRC32C.checksum(body) != crc {
                if isLast && zerosStart <= offset + WALRecord.headerSize {
                    scan.torn = (offset, "a record whose payload was never written (zeros)")
                    break
                }
                if isLast && writtenUpToABoundary(end: end) {
                    scan.torn = (offset, "a record of \(length) bytes written only up to a sector boundary")
                    break
                }
                try fail("checksum mismatch (record of \(length) bytes)")
            }
            let record: WALRecord
            do { record = try WALRecord.decode(body) } catch { try fail("undecodable record: \(error)") }
            scan.records.append((offset, record))
            offset = end
            scan.validEnd = offset
        }
        return scan
    }
}
